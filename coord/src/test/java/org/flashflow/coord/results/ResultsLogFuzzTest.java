package org.flashflow.coord.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.flashflow.coord.core.MeasurementRecord;

/**
 * Any bytes in a results log: the line splitter and the parser skip what they cannot read and never
 * throw, and every measurement they read, written again by {@link ResultsLogFormat}, reads back as
 * the same record. Seeds: ResultsLogFuzzTestInputs (logs of the writer and of the Python
 * coordinator).
 */
class ResultsLogFuzzTest {
  @FuzzTest
  void readsAndRoundTrips(byte[] data) throws IOException {
    List<MeasurementRecord> records = new ArrayList<>();
    ResultsLogParser parser = new ResultsLogParser(ResultsLogParser.Sink.of(records::add));
    LineSplitter.split(new ByteArrayInputStream(data), parser);
    parser.endOfFile();
    for (MeasurementRecord r : records) {
      List<MeasurementRecord> again =
          ResultsLogFormat.parse(ResultsLogFormat.render(r).lines().toList());
      assertEquals(List.of(r), again);
    }
  }
}
