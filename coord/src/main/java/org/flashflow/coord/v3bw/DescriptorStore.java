package org.flashflow.coord.v3bw;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.flashflow.common.io.AtomicFiles;
import org.flashflow.torctl.model.ServerDescriptor;
import org.flashflow.torctl.model.ServerDescriptorParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest server descriptor the coordinator's tor had for each relay, kept in the datadir
 * ({@code descriptors.txt}) next to the saved consensus, so that the offline {@code flashflow v3bw}
 * can cap each relay's {@code bw} at its descriptor's {@code bandwidth-avg} and list {@code
 * master_key_ed25519} and {@code desc_bw_*} without a tor. Stored as descriptors cut down to the
 * lines {@link ServerDescriptorParser} reads ({@code router}, {@code published}, {@code
 * fingerprint}, {@code master-key-ed25519}, {@code bandwidth}), preceded by a {@code # tor_version}
 * comment naming the tor they came from. Replaced atomically, like {@link ConsensusStore}.
 */
public final class DescriptorStore {
  private static final Logger log = LoggerFactory.getLogger(DescriptorStore.class);

  /** The file name inside the datadir. */
  public static final String FILE_NAME = "descriptors.txt";

  private static final String TOR_VERSION = "# tor_version ";
  private static final Pattern TOKEN = Pattern.compile("\\S+");
  private static final DateTimeFormatter PUBLISHED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Path file;

  /**
   * What was saved.
   *
   * @param byFingerprint each relay's newest descriptor
   * @param torVersion the version of the tor they came from, if known
   */
  public record Saved(
      SortedMap<String, ServerDescriptor> byFingerprint, Optional<String> torVersion) {
    public static final Saved NONE = new Saved(new TreeMap<>(), Optional.empty());

    public Saved {
      byFingerprint = Collections.unmodifiableSortedMap(new TreeMap<>(byFingerprint));
      Objects.requireNonNull(torVersion, "torVersion");
    }
  }

  /**
   * @param datadir {@code [coord] datadir}
   */
  public DescriptorStore(Path datadir) {
    this.file = Objects.requireNonNull(datadir, "datadir").resolve(FILE_NAME);
  }

  public Path file() {
    return file;
  }

  /**
   * Each relay's newest descriptor among {@code saved} and {@code fresh} (by {@code published}; a
   * tie goes to the fresh one). With a non-empty {@code consensus}, relays not in it are dropped,
   * so the file does not grow with every relay that ever existed. Pure.
   */
  public static SortedMap<String, ServerDescriptor> merge(
      Map<String, ServerDescriptor> saved,
      Collection<ServerDescriptor> fresh,
      Set<String> consensus) {
    SortedMap<String, ServerDescriptor> out = new TreeMap<>(saved);
    for (ServerDescriptor d : fresh) {
      ServerDescriptor current = out.get(d.fingerprint());
      if (current == null || !d.published().isBefore(current.published())) {
        out.put(d.fingerprint(), d);
      }
    }
    if (!consensus.isEmpty()) {
      out.keySet().retainAll(consensus);
    }
    return out;
  }

  /** Replaces the stored descriptors atomically; blocking I/O, keep it off the loop. */
  public void save(Collection<ServerDescriptor> descriptors, Optional<String> torVersion)
      throws IOException {
    Files.createDirectories(file.getParent());
    AtomicFiles.writeAtomically(
        file,
        render(descriptors, torVersion).getBytes(UTF_8),
        PosixFilePermissions.fromString("rw-------"));
    log.debug("saved {} server descriptors to {}", descriptors.size(), file);
  }

  /**
   * The stored descriptors; {@link Saved#NONE} if none were saved yet.
   *
   * @throws IOException if the file exists but cannot be read or parsed
   */
  public Saved load() throws IOException {
    String text;
    try {
      text = Files.readString(file, UTF_8);
    } catch (NoSuchFileException e) {
      return Saved.NONE;
    }
    Optional<String> torVersion =
        text.lines()
            .filter(l -> l.startsWith(TOR_VERSION))
            .map(l -> l.substring(TOR_VERSION.length()).strip())
            .filter(v -> TOKEN.matcher(v).matches())
            .findFirst();
    try {
      SortedMap<String, ServerDescriptor> m =
          merge(Map.of(), ServerDescriptorParser.parse(text), Set.of());
      return new Saved(m, torVersion);
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot parse saved descriptors " + file + ": " + e.getMessage(), e);
    }
  }

  static String render(Collection<ServerDescriptor> descriptors, Optional<String> torVersion) {
    StringBuilder sb = new StringBuilder(64 + 200 * descriptors.size());
    sb.append("# flashflow: the newest server descriptor of each relay, cut down\n");
    torVersion
        .filter(v -> TOKEN.matcher(v).matches())
        .ifPresent(v -> sb.append(TOR_VERSION).append(v).append('\n'));
    for (ServerDescriptor d : new TreeMap<>(byFp(descriptors)).values()) {
      sb.append("router ")
          .append(d.nickname())
          .append(' ')
          .append(d.address())
          .append(' ')
          .append(d.orPort())
          .append(" 0 0\n");
      sb.append("published ").append(PUBLISHED.format(d.published())).append('\n');
      sb.append("fingerprint ");
      String fp = d.fingerprint();
      for (int i = 0; i < 40; i += 4) {
        sb.append(i == 0 ? "" : " ").append(fp, i, i + 4);
      }
      sb.append('\n');
      d.masterKeyEd25519().ifPresent(k -> sb.append("master-key-ed25519 ").append(k).append('\n'));
      sb.append("bandwidth ")
          .append(d.bandwidthAvg())
          .append(' ')
          .append(d.bandwidthBurst())
          .append(' ')
          .append(d.bandwidthObserved())
          .append('\n');
    }
    return sb.toString();
  }

  private static Map<String, ServerDescriptor> byFp(Collection<ServerDescriptor> descriptors) {
    return merge(Map.of(), descriptors, Set.of());
  }
}
