package org.flashflow.coord.v3bw;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.flashflow.common.io.AtomicFiles;
import org.flashflow.torctl.model.RouterStatus;
import org.flashflow.torctl.model.RouterStatusParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's last consensus, kept in its datadir ({@code consensus.txt}) so that the offline
 * {@code flashflow v3bw} can list unmeasured relays without a tor. Stored as router status entries
 * in the microdesc-consensus form ({@code r nick identity date time ip orport dirport}, {@code s},
 * {@code w}), which {@link RouterStatusParser} reads and a person can grep; the descriptor digest
 * is not kept because {@link RouterStatus} does not carry it and nothing here needs it.
 */
public final class ConsensusStore {
  private static final Logger log = LoggerFactory.getLogger(ConsensusStore.class);

  /** The file name inside the datadir. */
  public static final String FILE_NAME = "consensus.txt";

  private static final DateTimeFormatter PUBLISHED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Path file;

  /**
   * @param datadir {@code [coord] datadir}
   */
  public ConsensusStore(Path datadir) {
    this.file = Objects.requireNonNull(datadir, "datadir").resolve(FILE_NAME);
  }

  public Path file() {
    return file;
  }

  /** Replaces the stored consensus atomically; blocking I/O, keep it off the loop. */
  public void save(List<RouterStatus> relays, Instant now) throws IOException {
    Files.createDirectories(file.getParent());
    AtomicFiles.writeAtomically(
        file, render(relays, now).getBytes(UTF_8), PosixFilePermissions.fromString("rw-------"));
    log.debug("saved consensus of {} relays to {}", relays.size(), file);
  }

  /**
   * The stored consensus; empty if none was saved yet.
   *
   * @throws IOException if the file exists but cannot be read or parsed
   */
  public List<RouterStatus> load() throws IOException {
    String text;
    try {
      text = Files.readString(file, UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    try {
      return RouterStatusParser.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot parse saved consensus " + file + ": " + e.getMessage(), e);
    }
  }

  static String render(List<RouterStatus> relays, Instant now) {
    StringBuilder sb = new StringBuilder(64 + 160 * relays.size());
    sb.append("# flashflow: the coordinator's consensus, saved ")
        .append(PUBLISHED.format(now))
        .append(" UTC\n");
    for (RouterStatus rs : relays) {
      byte[] id = HexFormat.of().parseHex(rs.fingerprint());
      sb.append("r ").append(rs.nickname());
      sb.append(' ').append(Base64.getEncoder().withoutPadding().encodeToString(id));
      sb.append(' ')
          .append(PUBLISHED.format(rs.published() == null ? Instant.EPOCH : rs.published()));
      sb.append(' ').append(rs.address());
      sb.append(' ').append(rs.orPort()).append(' ').append(rs.dirPort()).append('\n');
      sb.append('s');
      new TreeSet<>(rs.flags()).forEach(f -> sb.append(' ').append(f));
      sb.append("\nw Bandwidth=").append(rs.bandwidthKbs());
      rs.measuredKbs().ifPresent(m -> sb.append(" Measured=").append(m));
      sb.append('\n');
    }
    return sb.toString();
  }
}
