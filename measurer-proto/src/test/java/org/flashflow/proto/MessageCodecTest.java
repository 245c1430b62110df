package org.flashflow.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageCodecTest {
  private static final String FP = "ABABABABABABABABABABABABABABABABABABABAB";
  private static final ConnectToRelay CONNECT =
      new ConnectToRelay(123, FP, 10, 30, OptionalLong.empty());

  /** docs/protocol.md section 2, byte for byte. */
  static Stream<Arguments> goldenExamples() {
    return Stream.of(
        Arguments.of(
            "{\"msg_type\": 357, \"meas_id\": 123, \"fp\":"
                + " \"ABABABABABABABABABABABABABABABABABABABAB\", \"n_circs\": 10, \"dur\": 30}",
            CONNECT),
        Arguments.of(
            "{\"msg_type\": 78612, \"orig\": {\"msg_type\": 357, \"meas_id\": 123, \"fp\":"
                + " \"ABABABABABABABABABABABABABABABABABABABAB\", \"n_circs\": 10, \"dur\": 30}}",
            new ConnectedToRelay(CONNECT)),
        Arguments.of("{\"msg_type\": 1089, \"meas_id\": 123}", new Go(123)),
        Arguments.of(
            "{\"msg_type\": -289, \"meas_id\": 123, \"ts\": 1594758553.123, \"sent\": 1000,"
                + " \"recv\": 2000}",
            new BwReport(123, 1594758553.123, 1000, 2000)),
        Arguments.of(
            "{\"msg_type\": 62424, \"code\": 1, \"meas_id\": 123, \"extra_info\": \"tor said"
                + " 552\"}",
            new Failure(1, OptionalLong.of(123), Optional.of("tor said 552"))));
  }

  @ParameterizedTest
  @MethodSource("goldenExamples")
  void goldenExampleDecodesAndReEncodes(String golden, Message expected) throws Exception {
    byte[] bytes = golden.getBytes(StandardCharsets.UTF_8);
    assertEquals(expected, MessageCodec.decode(bytes));
    assertEquals(expected, MessageCodec.decode(golden));
    assertEquals(expected, MessageCodec.decode(golden + "\n"));
    assertEquals(expected, MessageCodec.decode(MessageCodec.encode(expected)));
  }

  /** The encoder's exact output, so that a change of wire format cannot slip through. */
  static Stream<Arguments> exactEncodings() {
    return Stream.of(
        Arguments.of(
            CONNECT,
            "{\"msg_type\":357,\"meas_id\":123,\"fp\":\"" + FP + "\",\"n_circs\":10,\"dur\":30}"),
        Arguments.of(
            new ConnectToRelay(
                123, FP.toLowerCase(java.util.Locale.ROOT), 10, 30, OptionalLong.of(5000)),
            "{\"msg_type\":357,\"meas_id\":123,\"fp\":\""
                + FP
                + "\",\"n_circs\":10,\"dur\":30,\"bw\":5000}"),
        Arguments.of(
            new ConnectedToRelay(CONNECT),
            "{\"msg_type\":78612,\"orig\":{\"msg_type\":357,\"meas_id\":123,\"fp\":\""
                + FP
                + "\",\"n_circs\":10,\"dur\":30}}"),
        Arguments.of(new Go(4294967295L), "{\"msg_type\":1089,\"meas_id\":4294967295}"),
        Arguments.of(
            new BwReport(123, 1594758553.123, 1000, 2000),
            "{\"msg_type\":-289,\"meas_id\":123,\"ts\":1594758553.123,\"sent\":1000,\"recv\":2000}"),
        Arguments.of(
            new BwReport(1, 1e10, 0, 0),
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":10000000000.0,\"sent\":0,\"recv\":0}"),
        Arguments.of(
            new Failure(1, OptionalLong.of(123), Optional.of("tor said 552")),
            "{\"msg_type\":62424,\"code\":1,\"meas_id\":123,\"extra_info\":\"tor said 552\"}"),
        Arguments.of(
            new Failure(7, OptionalLong.empty(), Optional.empty()),
            "{\"msg_type\":62424,\"code\":7,\"meas_id\":null,\"extra_info\":null}"),
        Arguments.of(
            new Failure(2, OptionalLong.empty(), Optional.of("caf\u00e9 \"q\"\n")),
            "{\"msg_type\":62424,\"code\":2,\"meas_id\":null,"
                + "\"extra_info\":\"caf\\u00E9 \\\"q\\\"\\n\"}"));
  }

  @ParameterizedTest
  @MethodSource("exactEncodings")
  void encodesCompactlyWithoutTrailingNewline(Message m, String expected) throws Exception {
    assertEquals(expected, MessageCodec.encodeToString(m));
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), MessageCodec.encode(m));
    assertEquals(m, MessageCodec.decode(expected));
  }

  static Stream<Message> roundTrips() {
    ConnectToRelay withBw = new ConnectToRelay(0, FP, 1, 1, OptionalLong.of(Long.MAX_VALUE));
    return Stream.of(
        CONNECT,
        withBw,
        new ConnectToRelay(
            Message.MAX_MEAS_ID, FP, Integer.MAX_VALUE, Integer.MAX_VALUE, OptionalLong.of(1)),
        new ConnectedToRelay(CONNECT),
        new ConnectedToRelay(withBw),
        new Go(0),
        new Go(Message.MAX_MEAS_ID),
        new BwReport(7, 1594758553.123, 0, Long.MAX_VALUE),
        new BwReport(7, 0.1 + 0.2, 1, 2),
        new BwReport(7, -0.0, 1, 2),
        new BwReport(7, 1e-300, 1, 2),
        new BwReport(7, Double.MAX_VALUE, 1, 2),
        new BwReport(7, Double.MIN_VALUE, 1, 2),
        new Failure(1, OptionalLong.of(5), Optional.of("x")),
        new Failure(6, OptionalLong.empty(), Optional.of("")),
        new Failure(Integer.MAX_VALUE, OptionalLong.of(5), Optional.empty()),
        new Failure(3, OptionalLong.empty(), Optional.empty()));
  }

  @ParameterizedTest
  @MethodSource("roundTrips")
  void roundTrip(Message m) throws Exception {
    byte[] encoded = MessageCodec.encode(m);
    assertEquals(m, MessageCodec.decode(encoded));
    assertEquals(m, MessageCodec.decode(MessageCodec.encodeToString(m)));
    assertFalse(MessageCodec.encodeToString(m).endsWith("\n"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "caf\u00e9 \u00fcber \u65e5\u672c\u8a9e",
        "emoji \ud83d\ude00 and \u0000 NUL",
        "lone surrogate \ud800 survives",
        "quotes \" and backslash \\ and tab \t"
      })
  void unicodeExtraInfoRoundTrips(String info) throws Exception {
    Failure f = new Failure(1, OptionalLong.of(9), Optional.of(info));
    byte[] encoded = MessageCodec.encode(f);
    for (byte b : encoded) {
      assertTrue(b >= 0x20 && b < 0x7f, "output is printable ASCII, as with Python's json.dumps");
    }
    assertEquals(f, MessageCodec.decode(encoded));
  }

  @Test
  void rawUtf8AndPythonStyleEscapesDecodeAlike() throws Exception {
    String raw = "{\"msg_type\":62424,\"code\":1,\"extra_info\":\"\u00e9\ud83d\ude00\"}";
    String escaped = "{\"msg_type\":62424,\"code\":1,\"extra_info\":\"\\u00e9\\ud83d\\ude00\"}";
    Failure expected = new Failure(1, OptionalLong.empty(), Optional.of("\u00e9\ud83d\ude00"));
    assertEquals(expected, MessageCodec.decode(raw.getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, MessageCodec.decode(escaped));
  }

  static Stream<Arguments> tolerated() {
    return Stream.of(
        Arguments.of(
            "{\"msg_type\": 1089, \"meas_id\": 5, \"future\": {\"a\": [1, 2]}, \"x\": null}",
            new Go(5)),
        Arguments.of("  \r\n\t{\"meas_id\":5,\"msg_type\":1089}\n\n  ", new Go(5)),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\""
                + FP
                + "\",\"n_circs\":1,\"dur\":1,"
                + "\"bw\":null}",
            new ConnectToRelay(1, FP, 1, 1, OptionalLong.empty())),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\""
                + FP.toLowerCase(java.util.Locale.ROOT)
                + "\",\"n_circs\":1,\"dur\":1}",
            new ConnectToRelay(1, FP, 1, 1, OptionalLong.empty())),
        Arguments.of(
            "{\"msg_type\":78612,\"orig\":{\"msg_type\":357,\"meas_id\":1,\"fp\":\""
                + FP
                + "\",\"n_circs\":1,\"dur\":1,\"extra\":1},\"extra\":true}",
            new ConnectedToRelay(new ConnectToRelay(1, FP, 1, 1, OptionalLong.empty()))),
        Arguments.of(
            "{\"msg_type\":62424,\"code\":4}",
            new Failure(4, OptionalLong.empty(), Optional.empty())),
        Arguments.of(
            "{\"msg_type\":62424,\"code\":42,\"meas_id\":null,\"extra_info\":null}",
            new Failure(42, OptionalLong.empty(), Optional.empty())),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":1594758553,\"sent\":0,\"recv\":0}",
            new BwReport(1, 1594758553.0, 0, 0)),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":1.5e9,\"sent\":0,\"recv\":0}",
            new BwReport(1, 1.5e9, 0, 0)),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":0}", new Go(0)),
        Arguments.of("\ufeff{\"msg_type\":1089,\"meas_id\":3}", new Go(3)));
  }

  @ParameterizedTest
  @MethodSource("tolerated")
  void toleratedVariationsDecode(String json, Message expected) throws Exception {
    assertEquals(expected, MessageCodec.decode(json));
  }

  /** Each bad input and a word its error must contain. */
  static Stream<Arguments> refused() {
    String connect = "\"msg_type\":357,\"meas_id\":1,\"n_circs\":1,\"dur\":1,\"fp\":";
    return Stream.of(
        // not JSON at all
        Arguments.of("", "invalid JSON"),
        Arguments.of("   \n", "invalid JSON"),
        Arguments.of("{", "invalid JSON"),
        Arguments.of("{\"msg_type\": 1089, \"meas_id\": 1", "invalid JSON"),
        Arguments.of("{'msg_type': 1089}", "invalid JSON"),
        Arguments.of("{\"msg_type\": 1089, \"meas_id\": 1,}", "invalid JSON"),
        Arguments.of("{\"msg_type\": 1089, \"meas_id\": NaN}", "invalid JSON"),
        Arguments.of(
            "{\"msg_type\":1089,\"meas_id\":1}{\"msg_type\":1089,\"meas_id\":2}", "more content"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":1} x", "invalid JSON"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":1,\"meas_id\":2}", "meas_id"),
        // not an object
        Arguments.of("[]", "not a JSON object"),
        Arguments.of("1089", "not a JSON object"),
        Arguments.of("\"hello\"", "not a JSON object"),
        Arguments.of("null", "not a JSON object"),
        // msg_type
        Arguments.of("{}", "missing msg_type"),
        Arguments.of("{\"meas_id\":1}", "missing msg_type"),
        Arguments.of("{\"msg_type\":\"1089\",\"meas_id\":1}", "msg_type"),
        Arguments.of("{\"msg_type\":1089.0,\"meas_id\":1}", "msg_type"),
        Arguments.of("{\"msg_type\":null}", "msg_type"),
        Arguments.of("{\"msg_type\":12345}", "unknown msg_type 12345"),
        Arguments.of("{\"msg_type\":289}", "unknown msg_type 289"),
        Arguments.of("{\"msg_type\":99999999999999999999}", "unknown msg_type"),
        // Go / meas_id
        Arguments.of("{\"msg_type\":1089}", "missing field `meas_id` in Go"),
        Arguments.of(
            "{\"msg_type\":1089,\"meas_id\":\"123\"}", "`meas_id` in Go must be an integer"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":1.5}", "`meas_id` in Go must be an integer"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":1.0}", "`meas_id` in Go must be an integer"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":1e3}", "`meas_id` in Go must be an integer"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":true}", "`meas_id` in Go must be an integer"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":null}", "`meas_id` in Go must be an integer"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":[1]}", "`meas_id` in Go must be an integer"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":-1}", "meas_id"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":4294967296}", "meas_id"),
        Arguments.of("{\"msg_type\":1089,\"meas_id\":123456789012345678901234567890}", "meas_id"),
        // ConnectToRelay
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"n_circs\":1,\"dur\":1}",
            "missing field `fp` in ConnectToRelay"),
        Arguments.of("{" + connect + "123}", "field `fp` in ConnectToRelay must be a string"),
        Arguments.of("{" + connect + "null}", "field `fp` in ConnectToRelay must be a string"),
        Arguments.of(
            "{" + connect + "\"ABAB\"}",
            "field `fp` in ConnectToRelay must be 40 hex digits, got 4 characters"),
        Arguments.of("{" + connect + "\"" + FP + "A\"}", "fp"),
        Arguments.of("{" + connect + "\"" + FP.replace('B', 'X') + "\"}", "fp"),
        Arguments.of("{" + connect + "\"$" + FP.substring(1) + "\"}", "hex"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\"" + FP + "\",\"dur\":1}",
            "missing field `n_circs` in ConnectToRelay"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\"" + FP + "\",\"n_circs\":1}",
            "missing field `dur` in ConnectToRelay"),
        Arguments.of(
            "{\"msg_type\":357,\"fp\":\"" + FP + "\",\"n_circs\":1,\"dur\":1}",
            "missing field `meas_id` in ConnectToRelay"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\"" + FP + "\",\"n_circs\":0," + "\"dur\":1}",
            "n_circs"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\"" + FP + "\",\"n_circs\":2.5," + "\"dur\":1}",
            "`n_circs` in ConnectToRelay must be an integer"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\""
                + FP
                + "\",\"n_circs\":"
                + "2147483648,\"dur\":1}",
            "n_circs"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\""
                + FP
                + "\",\"n_circs\":1,"
                + "\"dur\":\"30\"}",
            "`dur` in ConnectToRelay must be an integer"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\"" + FP + "\",\"n_circs\":1," + "\"dur\":-30}",
            "dur"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\""
                + FP
                + "\",\"n_circs\":1,"
                + "\"dur\":1,\"bw\":0}",
            "bw"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\""
                + FP
                + "\",\"n_circs\":1,"
                + "\"dur\":1,\"bw\":\"fast\"}",
            "`bw` in ConnectToRelay must be an integer"),
        Arguments.of(
            "{\"msg_type\":357,\"meas_id\":1,\"fp\":\""
                + FP
                + "\",\"n_circs\":1,"
                + "\"dur\":1,\"bw\":1000.5}",
            "`bw` in ConnectToRelay must be an integer"),
        // ConnectedToRelay
        Arguments.of("{\"msg_type\":78612}", "missing field `orig` in ConnectedToRelay"),
        Arguments.of(
            "{\"msg_type\":78612,\"orig\":null}", "`orig` in ConnectedToRelay must be an object"),
        Arguments.of(
            "{\"msg_type\":78612,\"orig\":\"{}\"}", "`orig` in ConnectedToRelay must be an object"),
        Arguments.of(
            "{\"msg_type\":78612,\"orig\":{\"meas_id\":1,\"fp\":\""
                + FP
                + "\",\"n_circs\":1,\"dur\":1}}",
            "missing field `msg_type` in ConnectedToRelay.orig"),
        Arguments.of(
            "{\"msg_type\":78612,\"orig\":{\"msg_type\":1089,\"meas_id\":1}}",
            "`msg_type` in ConnectedToRelay.orig must be 357"),
        Arguments.of(
            "{\"msg_type\":78612,\"orig\":{\"msg_type\":\"357\",\"meas_id\":1}}",
            "`msg_type` in ConnectedToRelay.orig must be an integer"),
        Arguments.of(
            "{\"msg_type\":78612,\"orig\":{\"msg_type\":357,\"meas_id\":1,"
                + "\"n_circs\":1,\"dur\":1}}",
            "missing field `fp` in ConnectedToRelay.orig"),
        Arguments.of(
            "{\"msg_type\":78612,\"orig\":{\"msg_type\":357,\"meas_id\":1,\"fp\":\"AB\","
                + "\"n_circs\":1,\"dur\":1}}",
            "fp"),
        // Failure
        Arguments.of("{\"msg_type\":62424}", "missing field `code` in Failure"),
        Arguments.of("{\"msg_type\":62424,\"code\":null}", "`code` in Failure must be an integer"),
        Arguments.of("{\"msg_type\":62424,\"code\":\"1\"}", "`code` in Failure must be an integer"),
        Arguments.of("{\"msg_type\":62424,\"code\":0}", "code"),
        Arguments.of(
            "{\"msg_type\":62424,\"code\":1,\"meas_id\":\"5\"}",
            "`meas_id` in Failure must be an integer"),
        Arguments.of("{\"msg_type\":62424,\"code\":1,\"meas_id\":-5}", "meas_id"),
        Arguments.of(
            "{\"msg_type\":62424,\"code\":1,\"extra_info\":5}",
            "`extra_info` in Failure must be a string or null"),
        Arguments.of("{\"msg_type\":62424,\"code\":1,\"extra_info\":[\"a\"]}", "extra_info"),
        // BwReport
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"sent\":0,\"recv\":0}",
            "missing field `ts` in BwReport"),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":\"1.5\",\"sent\":0,\"recv\":0}",
            "`ts` in BwReport must be a number"),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":null,\"sent\":0,\"recv\":0}",
            "`ts` in BwReport must be a number"),
        Arguments.of("{\"msg_type\":-289,\"meas_id\":1,\"ts\":1e400,\"sent\":0,\"recv\":0}", "ts"),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":1,\"recv\":0}",
            "missing field `sent` in BwReport"),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":1,\"sent\":0}",
            "missing field `recv` in BwReport"),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":1,\"sent\":-1,\"recv\":0}",
            "`sent` in BwReport must be >= 0, got -1 (negative)"),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":1,\"sent\":0,\"recv\":-2}",
            "`recv` in BwReport must be >= 0, got -2 (negative)"),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":1,\"sent\":10.5,\"recv\":0}",
            "`sent` in BwReport must be an integer"),
        Arguments.of(
            "{\"msg_type\":-289,\"meas_id\":1,\"ts\":1,\"sent\":0,"
                + "\"recv\":9223372036854775808}",
            "recv"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void badInputIsRefusedNamingTheProblem(String json, String expectedWord) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(json));
    assertTrue(
        e.getMessage().contains(expectedWord),
        () -> "message '" + e.getMessage() + "' should contain '" + expectedWord + "'");
    assertFalse(e.getMessage().contains("\n"), "one line for the log");
  }

  @Test
  void invalidJsonErrorSummarisesTheLocation() {
    ProtocolException e =
        assertThrows(
            ProtocolException.class, () -> MessageCodec.decode("{\"msg_type\":\n 1089 x}"));
    assertTrue(e.getMessage().startsWith("invalid JSON: "), e.getMessage());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertFalse(e.getMessage().contains("\tat "), e.getMessage());
    assertEquals(null, e.getCause(), "a WARN log with the exception must not dump Jackson's stack");
  }

  @Test
  void truncatedObjectErrorHasNoJacksonNoise() {
    ProtocolException e =
        assertThrows(
            ProtocolException.class, () -> MessageCodec.decode("{\"msg_type\":1089,\"meas_id\":1"));
    assertTrue(e.getMessage().contains("end-of-input"), e.getMessage());
    assertFalse(e.getMessage().contains("REDACTED"), e.getMessage());
    assertFalse(e.getMessage().contains("Source"), e.getMessage());
  }

  @Test
  void sharedCodecIsSafeAcrossThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        long base = t * 10_000L;
        tasks.add(
            () -> {
              for (long i = base; i < base + 500; i++) {
                Message m = new BwReport(i, i + 0.5, i, 2 * i);
                if (!m.equals(MessageCodec.decode(MessageCodec.encode(m)))) {
                  return false;
                }
              }
              return true;
            });
      }
      for (Future<Boolean> f : pool.invokeAll(tasks)) {
        assertTrue(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void invalidUtf8IsInvalidJson() {
    byte[] bad =
        "{\"msg_type\":62424,\"code\":1,\"extra_info\":\"xx\"}".getBytes(StandardCharsets.UTF_8);
    bad[bad.length - 4] = (byte) 0xC3; // a lead byte followed by an ASCII byte
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(bad));
    assertTrue(e.getMessage().startsWith("invalid JSON"), e.getMessage());
  }

  @Test
  void fieldErrorsNeverEchoTheValue() {
    String secret = "S3CR3T-".repeat(100);
    String[] inputs = {
      "{\"msg_type\":357,\"meas_id\":1,\"fp\":\"" + secret + "\",\"n_circs\":1,\"dur\":1}",
      "{\"msg_type\":\"" + secret + "\"}",
      "{\"msg_type\":62424,\"code\":\"" + secret + "\"}",
    };
    for (String input : inputs) {
      ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(input));
      assertFalse(e.getMessage().contains("S3CR3T"), e.getMessage());
    }
  }

  /** Jackson quotes a bad token; the quote must stay short and on one line. */
  @Test
  void invalidJsonErrorIsShortAndOneLine() {
    String junk = "{\"msg_type\":" + "x\u0001\r\n".repeat(5000) + "}";
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(junk));
    assertTrue(e.getMessage().startsWith("invalid JSON: "), e.getMessage());
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    assertFalse(e.getMessage().chars().anyMatch(Character::isISOControl), e.getMessage());
  }

  /** A Failure whose encoding is exactly {@code size} bytes. */
  private static byte[] failureOfSize(int size) {
    String prefix = "{\"msg_type\":62424,\"code\":1,\"meas_id\":null,\"extra_info\":\"";
    String suffix = "\"}";
    String json = prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix;
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertEquals(size, bytes.length);
    return bytes;
  }

  @Test
  void objectOfExactly64KiBIsAccepted() throws Exception {
    byte[] max = failureOfSize(MessageCodec.MAX_OBJECT_BYTES);
    Message m = MessageCodec.decode(max);
    assertArrayEquals(max, MessageCodec.encode(m));
  }

  @Test
  void objectOver64KiBIsRefused() {
    byte[] tooBig = failureOfSize(MessageCodec.MAX_OBJECT_BYTES + 1);
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(tooBig));
    assertEquals("message of 65537 bytes exceeds the 65536-byte limit", e.getMessage());
  }

  @Test
  void stringSizeLimitCountsUtf8Bytes() {
    // 30000 two-byte characters: 30000 chars but over 60000 bytes, plus the envelope.
    String json =
        "{\"msg_type\":62424,\"code\":1,\"extra_info\":\"" + "\u00e9".repeat(33000) + "\"}";
    ProtocolException e = assertThrows(ProtocolException.class, () -> MessageCodec.decode(json));
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
  }

  @Test
  void encoderRefusesAMessageThePeerWouldRefuse() {
    Failure big =
        new Failure(
            1, OptionalLong.empty(), Optional.of("x".repeat(MessageCodec.MAX_OBJECT_BYTES)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(big));
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
  }

  @Test
  void decodesASliceOfALargerBuffer() throws Exception {
    byte[] one = MessageCodec.encode(new Go(1));
    byte[] two = MessageCodec.encode(new Go(2));
    byte[] both = new byte[one.length + 1 + two.length];
    System.arraycopy(one, 0, both, 0, one.length);
    both[one.length] = '\n';
    System.arraycopy(two, 0, both, one.length + 1, two.length);
    assertEquals(new Go(1), MessageCodec.decode(both, 0, one.length));
    assertEquals(new Go(2), MessageCodec.decode(both, one.length + 1, two.length));
    assertEquals(new Go(1), MessageCodec.decode(both, 0, one.length + 1));
    byte[] before = both.clone();
    assertThrows(ProtocolException.class, () -> MessageCodec.decode(both, 0, both.length));
    assertArrayEquals(before, both, "decode must not touch the caller's buffer");
  }

  @Test
  void sliceSizeLimitIsOnTheSliceNotTheBuffer() throws Exception {
    byte[] go = MessageCodec.encode(new Go(1));
    byte[] big = Arrays.copyOf(go, MessageCodec.MAX_OBJECT_BYTES * 2);
    assertEquals(new Go(1), MessageCodec.decode(big, 0, go.length));
  }

  @Test
  void sliceOutOfBoundsIsAProgrammingError() {
    byte[] buf = new byte[10];
    assertThrows(IndexOutOfBoundsException.class, () -> MessageCodec.decode(buf, 5, 6));
    assertThrows(IndexOutOfBoundsException.class, () -> MessageCodec.decode(buf, -1, 2));
  }
}
