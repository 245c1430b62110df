package org.flashflow.torctl.model;

/**
 * A {@code 650+NEWCONSENSUS} event (control-spec 4.1.12): tor has a new consensus. Its data block
 * lists the router status entries, in the flavour tor uses itself (a client's is the microdesc
 * consensus, whose {@code r} lines have no descriptor digest); FlashFlow reads the consensus again
 * with {@code GETINFO ns/all}, the same as its poll, so only the number of entries is kept, for log
 * lines.
 *
 * @param relays how many router status entries ({@code r} lines) the event listed
 */
public record NewConsensusEvent(int relays) implements TorEvent {
  public NewConsensusEvent {
    if (relays < 0) {
      throw new IllegalArgumentException("relays must not be negative: " + relays);
    }
  }
}
