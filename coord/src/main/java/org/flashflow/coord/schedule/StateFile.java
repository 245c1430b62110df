package org.flashflow.coord.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import org.flashflow.common.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule's state file ({@code [coord] state_file}): {@link ScheduleState} as JSON, replaced
 * atomically (temporary file, fsync, rename) so that even {@code kill -9} leaves the old or the new
 * content. A file that cannot be parsed is moved aside ({@code state.json.corrupt-<UTC time>}) with
 * an ERROR and treated as absent: a fresh schedule is better than a crash loop. Blocking: call it
 * on the file-I/O thread, never on the loop.
 */
final class StateFile implements ScheduleRunner.StateStore {
  private static final Logger log = LoggerFactory.getLogger(StateFile.class);
  static final int VERSION = 1;
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC);

  /**
   * What the file holds: the schedule and the period and slot lengths it was made with (a schedule
   * made with other lengths is not resumed: its slot numbers would mean other times).
   */
  record Content(int version, long periodSeconds, long slotSeconds, ScheduleState schedule) {}

  private final Path file;
  private final Duration period;
  private final Duration slot;
  private final Clock clock;
  private static final ObjectMapper JSON = mapper();

  static ObjectMapper mapper() {
    return JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
        .build();
  }

  StateFile(Path file, Duration period, Duration slot, Clock clock) {
    this.file = Objects.requireNonNull(file, "file");
    this.period = Objects.requireNonNull(period, "period");
    this.slot = Objects.requireNonNull(slot, "slot");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Path file() {
    return file;
  }

  /**
   * The content of a state file's bytes.
   *
   * @throws IOException if they are not JSON or not content the records accept
   */
  static Content decode(byte[] bytes) throws IOException {
    return JSON.readValue(bytes, Content.class);
  }

  /** The bytes of a state file holding {@code c}. */
  static byte[] encode(Content c) throws JsonProcessingException {
    return JSON.writeValueAsBytes(c);
  }

  @Override
  public Optional<ScheduleState> load() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      log.info("no schedule state file {}: starting a new schedule", file);
      return Optional.empty();
    } catch (IOException e) {
      // Not a format error: the file may be fine once the disk or its permissions are.
      log.error(
          "schedule state file {} cannot be read ({}): starting a new schedule",
          file,
          e.toString());
      return Optional.empty();
    }
    Content c;
    try {
      c = decode(bytes);
    } catch (IOException e) { // JSON syntax, or content the records refuse (Jackson wraps those)
      moveAside("is not a valid state file: " + oneLine(e));
      return Optional.empty();
    }
    if (c == null || c.schedule() == null || c.version() != VERSION) {
      moveAside("has no schedule of version " + VERSION);
      return Optional.empty();
    }
    if (c.periodSeconds() != period.toSeconds() || c.slotSeconds() != slot.toSeconds()) {
      log.info(
          "schedule state file {} was made with period {} s and slot {} s, now {} s and {} s:"
              + " starting a new schedule",
          file,
          c.periodSeconds(),
          c.slotSeconds(),
          period.toSeconds(),
          slot.toSeconds());
      return Optional.empty();
    }
    return Optional.of(c.schedule());
  }

  @Override
  public void save(ScheduleState state) throws IOException {
    byte[] bytes;
    try {
      bytes = encode(new Content(VERSION, period.toSeconds(), slot.toSeconds(), state));
    } catch (JsonProcessingException e) {
      throw new IOException("cannot encode the schedule state: " + e.getMessage(), e);
    }
    AtomicFiles.writeAtomically(file, bytes, PosixFilePermissions.fromString("rw-------"));
  }

  @Override
  public void moveAside(String why) {
    Path aside =
        file.resolveSibling(file.getFileName() + ".corrupt-" + STAMP.format(clock.instant()));
    try {
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      log.error(
          "schedule state file {} {}; moved it to {} and starting a new schedule",
          file,
          why,
          aside);
    } catch (IOException e) {
      log.error(
          "schedule state file {} {}; cannot move it aside ({}), starting a new schedule that will"
              + " replace it",
          file,
          why,
          e.toString());
    }
  }

  private static String oneLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl >= 0 ? m.substring(0, nl) : m;
  }
}
