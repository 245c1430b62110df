package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.flashflow.coord.core.MeasurementRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ResultsLogReader#read(java.util.function.Supplier, java.util.function.BiConsumer)}: parts
 * read into summaries of the caller's kind and joined oldest first give the records of one pass, in
 * the same order.
 */
class ResultsLogReaderSummaryTest {
  private static final String FP_A = "AA".repeat(20);
  private static final String FP_B = "BB".repeat(20);

  @TempDir Path dir;

  /** A summary that keeps every record's id, in the order seen. */
  private static final class Ids implements Consumer<MeasurementRecord> {
    final List<Long> ids = new ArrayList<>();

    @Override
    public void accept(MeasurementRecord r) {
      ids.add(r.measId());
    }
  }

  @Test
  void partsJoinedOldestFirstGiveOnePassInOrder() throws Exception {
    Path log = dir.resolve("results.log");
    long id = 1;
    String[] names = {"results.log.3.gz", "results.log.2.gz", "results.log.1", "results.log"};
    for (String name : names) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 50; i++, id++) {
        sb.append(
            ResultsLogReaderTest.text(
                i % 7 == 0
                    ? ResultsLogReaderTest.failed(id, FP_B, 1_700_000_000L + id)
                    : ResultsLogReaderTest.done(id, FP_A, 1_700_000_000L + id, 1000, 2000)));
      }
      byte[] bytes = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Files.write(
          dir.resolve(name),
          name.endsWith(".gz") ? ResultsLogReaderTest.gzip(sb.toString()) : bytes);
    }
    List<Long> onePass = new ArrayList<>();
    ReadStats oneStats = new ResultsLogReader(log, 1).read(r -> onePass.add(r.measId()));
    assertEquals(200, onePass.size());
    for (int threads : new int[] {1, 2, 4}) {
      ResultsLogReader.Summary<Ids> parts =
          new ResultsLogReader(log, threads)
              .read(Ids::new, (into, later) -> into.ids.addAll(later.ids));
      assertEquals(onePass, parts.value().ids, threads + " threads");
      assertEquals(oneStats, parts.stats(), threads + " threads");
    }
  }
}
