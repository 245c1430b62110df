package org.flashflow.coord.v3bw;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes a bandwidth file on demand (the control socket's {@code v3bw} command). Implemented by the
 * results wiring, which does the file I/O off the loop.
 */
@FunctionalInterface
public interface V3bwTrigger {
  /** Starts writing a bandwidth file now; {@code done} runs on the loop with the outcome. */
  void writeNow(Consumer<Result> done);

  /** How writing went. */
  sealed interface Result {}

  /** The file was written; {@code path} is what the {@code v3bw} symlink now points to. */
  record Written(Path path) implements Result {
    public Written {
      Objects.requireNonNull(path, "path");
    }
  }

  /** No file was written (e.g. no result newer than 3 days), and why. */
  record NotWritten(String why) implements Result {
    public NotWritten {
      Objects.requireNonNull(why, "why");
    }
  }
}
