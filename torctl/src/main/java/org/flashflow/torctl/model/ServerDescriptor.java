package org.flashflow.torctl.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a relay's server descriptor (dir-spec 2.1.1) a bandwidth file needs, as {@code
 * GETINFO desc/id/<fp>} or {@code desc/all-recent} return it.
 *
 * @param fingerprint 40 upper-case hex digits (the {@code fingerprint} line, spaces removed)
 * @param published the {@code published} line
 * @param masterKeyEd25519 the {@code master-key-ed25519} line's base64 key (no padding), if any
 * @param bandwidthAvg {@code bandwidth <avg>}: bytes/s the operator allows on average (the cap of
 *     the bandwidth-file spec)
 * @param bandwidthBurst {@code bandwidth <burst>}, bytes/s
 * @param bandwidthObserved {@code bandwidth <observed>}, bytes/s the relay saw itself forward
 */
public record ServerDescriptor(
    String nickname,
    String fingerprint,
    String address,
    int orPort,
    Instant published,
    Optional<String> masterKeyEd25519,
    long bandwidthAvg,
    long bandwidthBurst,
    long bandwidthObserved) {
  public ServerDescriptor {
    Objects.requireNonNull(nickname, "nickname");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(published, "published");
    Objects.requireNonNull(masterKeyEd25519, "masterKeyEd25519");
  }
}
