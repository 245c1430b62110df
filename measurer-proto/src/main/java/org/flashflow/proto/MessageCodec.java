package org.flashflow.proto;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The JSON form of {@link Message}s (docs/protocol.md section 2), one object at a time; framing
 * (the trailing newline, splitting a stream into objects) is the transport's job.
 *
 * <p>Decoding is strict about types, because the peer is only semi-trusted and a coerced value
 * ({@code "123"} read as 123) would hide a broken peer: integers must be JSON integers, strings
 * strings, and every required field present and non-null. Unknown keys are ignored so that newer
 * peers can add fields. Stateless and thread-safe: the Jackson reader and factory held here are
 * configured once, never changed, and documented by Jackson as thread-safe after configuration.
 */
public final class MessageCodec {
  /** Largest object accepted or produced, in bytes of UTF-8 (docs/protocol.md: 64 KiB). */
  public static final int MAX_OBJECT_BYTES = 65536;

  private static final String MSG_TYPE = "msg_type";
  private static final String MEAS_ID = "meas_id";
  private static final int MAX_ERROR_DETAIL = 200;

  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  // Duplicate keys are an error rather than last-wins: two meas_ids in one object
                  // can only be a bug or an attempt to confuse.
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  // Locations in error messages must not quote the peer's input.
                  .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                  // Pure-ASCII output like Python's json.dumps; this also lets a lone surrogate
                  // received in extra_info be sent on again instead of failing the encoder.
                  .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                  .build())
          .build();
  private static final ObjectReader READER = MAPPER.reader();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private MessageCodec() {}

  /** Decodes one JSON object (surrounding whitespace allowed) in UTF-8. */
  public static Message decode(byte[] json) throws ProtocolException {
    return decode(json, 0, json.length);
  }

  /** Decodes one JSON object from {@code len} bytes of {@code buf} starting at {@code off}. */
  public static Message decode(byte[] buf, int off, int len) throws ProtocolException {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (len > MAX_OBJECT_BYTES) {
      throw new ProtocolException(
          "message of " + len + " bytes exceeds the " + MAX_OBJECT_BYTES + "-byte limit");
    }
    return decodeTree(parse(buf, off, len));
  }

  /** Decodes one JSON object; the size limit applies to its UTF-8 encoding. */
  public static Message decode(String json) throws ProtocolException {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Encodes {@code m} as one compact JSON object in UTF-8 (in fact pure ASCII), without the
   * trailing newline.
   *
   * @throws IllegalArgumentException if the result would exceed {@link #MAX_OBJECT_BYTES}, since
   *     the peer would refuse it and drop the connection; better to fail at the sender, where the
   *     bug is
   */
  public static byte[] encode(Message m) {
    Objects.requireNonNull(m, "m");
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      write(g, m);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    byte[] bytes = out.toByteArray();
    if (bytes.length > MAX_OBJECT_BYTES) {
      throw new IllegalArgumentException(
          m.type()
              + " message of "
              + bytes.length
              + " bytes exceeds the "
              + MAX_OBJECT_BYTES
              + "-byte limit");
    }
    return bytes;
  }

  /** {@link #encode} as a string. */
  public static String encodeToString(Message m) {
    return new String(encode(m), StandardCharsets.UTF_8);
  }

  // ---- decoding ----

  private static JsonNode parse(byte[] buf, int off, int len) throws ProtocolException {
    try (JsonParser p = READER.createParser(buf, off, len)) {
      JsonNode tree = READER.readTree(p);
      if (tree == null || tree.isMissingNode()) {
        throw new ProtocolException("invalid JSON: no value");
      }
      if (p.nextToken() != null) {
        throw new ProtocolException(
            "invalid JSON: more content after the object" + at(p.currentTokenLocation()));
      }
      return tree;
    } catch (JsonProcessingException e) {
      // No cause: the summary says all a peer's operator needs, and a logged Jackson stack
      // trace per misbehaving peer would only bury it.
      throw new ProtocolException(
          "invalid JSON: " + truncate(e.getOriginalMessage()) + at(e.getLocation()));
    } catch (IOException e) {
      // e.g. CharConversionException for bytes that are no Unicode encoding at all
      throw new ProtocolException("invalid JSON: " + truncate(e.getMessage()));
    }
  }

  private static Message decodeTree(JsonNode tree) throws ProtocolException {
    if (!tree.isObject()) {
      throw new ProtocolException("not a JSON object: got " + describe(tree));
    }
    JsonNode tag = tree.get(MSG_TYPE);
    if (tag == null) {
      throw new ProtocolException("missing msg_type");
    }
    if (!tag.isIntegralNumber()) {
      throw new ProtocolException("field `msg_type` must be an integer, got " + describe(tag));
    }
    Optional<MsgType> type =
        tag.canConvertToInt() ? MsgType.fromWire(tag.intValue()) : Optional.empty();
    if (type.isEmpty()) {
      throw new ProtocolException("unknown msg_type " + truncate(tag.asText()));
    }
    try {
      return switch (type.get()) {
        case CONNECT_TO_RELAY -> connectToRelay(tree, "ConnectToRelay");
        case CONNECTED_TO_RELAY -> connectedToRelay(tree);
        case FAILURE -> failure(tree);
        case GO -> new Go(measId(tree, MEAS_ID, "Go"));
        case BW_REPORT -> bwReport(tree);
      };
    } catch (IllegalArgumentException e) {
      // Only reached if a record check is stricter than the codec's own; still the peer's fault.
      throw new ProtocolException("invalid " + type.get() + ": " + e.getMessage(), e);
    }
  }

  private static ConnectToRelay connectToRelay(JsonNode o, String where) throws ProtocolException {
    long measId = measId(o, MEAS_ID, where);
    String fp = requireString(o, "fp", where);
    try {
      fp = Checks.fingerprint(fp, "field `fp` in " + where);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage());
    }
    int nCircs = requireInt(o, "n_circs", 1, where);
    int dur = requireInt(o, "dur", 1, where);
    OptionalLong bw = optionalLong(o, "bw", 1, Long.MAX_VALUE, where);
    return new ConnectToRelay(measId, fp, nCircs, dur, bw);
  }

  private static ConnectedToRelay connectedToRelay(JsonNode o) throws ProtocolException {
    String where = "ConnectedToRelay";
    JsonNode orig = require(o, "orig", where);
    if (!orig.isObject()) {
      throw illTyped("orig", where, "an object", orig);
    }
    String inner = where + ".orig";
    JsonNode tag = require(orig, MSG_TYPE, inner);
    if (!tag.isIntegralNumber()) {
      throw illTyped(MSG_TYPE, inner, "an integer", tag);
    }
    if (!tag.canConvertToInt() || tag.intValue() != MsgType.CONNECT_TO_RELAY.wireValue()) {
      throw new ProtocolException(
          "field `msg_type` in "
              + inner
              + " must be "
              + MsgType.CONNECT_TO_RELAY.wireValue()
              + ", got "
              + truncate(tag.asText()));
    }
    return new ConnectedToRelay(connectToRelay(orig, inner));
  }

  private static Failure failure(JsonNode o) throws ProtocolException {
    String where = "Failure";
    int code = requireInt(o, "code", 1, where);
    OptionalLong measId = optionalLong(o, MEAS_ID, 0, Message.MAX_MEAS_ID, where);
    JsonNode info = o.get("extra_info");
    Optional<String> extraInfo;
    if (info == null || info.isNull()) {
      extraInfo = Optional.empty();
    } else if (info.isTextual()) {
      extraInfo = Optional.of(info.textValue());
    } else {
      throw illTyped("extra_info", where, "a string or null", info);
    }
    return new Failure(code, measId, extraInfo);
  }

  private static BwReport bwReport(JsonNode o) throws ProtocolException {
    String where = "BwReport";
    long measId = measId(o, MEAS_ID, where);
    JsonNode tsNode = require(o, "ts", where);
    if (!tsNode.isNumber()) {
      throw illTyped("ts", where, "a number", tsNode);
    }
    double ts = tsNode.doubleValue();
    if (!Double.isFinite(ts)) {
      throw new ProtocolException("field `ts` in " + where + " is out of range");
    }
    long sent = requireLong(o, "sent", 0, Long.MAX_VALUE, where);
    long recv = requireLong(o, "recv", 0, Long.MAX_VALUE, where);
    return new BwReport(measId, ts, sent, recv);
  }

  private static long measId(JsonNode o, String field, String where) throws ProtocolException {
    return requireLong(o, field, 0, Message.MAX_MEAS_ID, where);
  }

  private static JsonNode require(JsonNode o, String field, String where) throws ProtocolException {
    JsonNode v = o.get(field);
    if (v == null) {
      throw new ProtocolException("missing field `" + field + "` in " + where);
    }
    return v;
  }

  private static String requireString(JsonNode o, String field, String where)
      throws ProtocolException {
    JsonNode v = require(o, field, where);
    if (!v.isTextual()) {
      throw illTyped(field, where, "a string", v);
    }
    return v.textValue();
  }

  private static int requireInt(JsonNode o, String field, int min, String where)
      throws ProtocolException {
    return (int) requireLong(o, field, min, Integer.MAX_VALUE, where);
  }

  private static long requireLong(JsonNode o, String field, long min, long max, String where)
      throws ProtocolException {
    return integer(require(o, field, where), field, min, max, where);
  }

  /** Absent and null both mean empty, as in the Python reference. */
  private static OptionalLong optionalLong(
      JsonNode o, String field, long min, long max, String where) throws ProtocolException {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(integer(v, field, min, max, where));
  }

  /**
   * A JSON integer token in {@code min..max}. {@code 1.0} and {@code 1e3} are refused: no sender of
   * this protocol writes an integer field that way, so one that does is broken.
   */
  private static long integer(JsonNode v, String field, long min, long max, String where)
      throws ProtocolException {
    if (!v.isIntegralNumber()) {
      throw illTyped(field, where, "an integer", v);
    }
    if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      String shown = v.canConvertToLong() ? Long.toString(v.longValue()) : "a huge number";
      String limit = max == Long.MAX_VALUE ? ">= " + min : "in " + min + ".." + max;
      String problem = min == 0 && v.canConvertToLong() && v.longValue() < 0 ? " (negative)" : "";
      throw new ProtocolException(
          "field `" + field + "` in " + where + " must be " + limit + ", got " + shown + problem);
    }
    return v.longValue();
  }

  private static ProtocolException illTyped(
      String field, String where, String expected, JsonNode got) {
    return new ProtocolException(
        "field `" + field + "` in " + where + " must be " + expected + ", got " + describe(got));
  }

  /** The kind of a JSON value, never its content (which may be huge or hostile). */
  private static String describe(JsonNode v) {
    return switch (v.getNodeType()) {
      case NULL -> "null";
      case BOOLEAN -> "a boolean";
      case STRING -> "a string";
      case NUMBER -> v.isIntegralNumber() ? "an integer" : "a non-integer number";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> "a " + v.getNodeType();
    };
  }

  private static String at(JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 1) {
      return "";
    }
    return " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String truncate(String s) {
    if (s == null) {
      return "";
    }
    String oneLine =
        s.replaceAll("\\p{Cntrl}", " ")
            // Jackson's nested locations say "[Source: REDACTED (...); line: 1, column: 1]"
            .replaceAll("\\[Source: [^;\\]]*; ", "[");
    return oneLine.length() <= MAX_ERROR_DETAIL
        ? oneLine
        : oneLine.substring(0, MAX_ERROR_DETAIL) + "...";
  }

  // ---- encoding ----

  private static void write(JsonGenerator g, Message m) throws IOException {
    if (m instanceof ConnectToRelay c) {
      writeConnectToRelay(g, c);
    } else if (m instanceof ConnectedToRelay c) {
      g.writeStartObject();
      g.writeNumberField(MSG_TYPE, m.type().wireValue());
      g.writeFieldName("orig");
      writeConnectToRelay(g, c.orig());
      g.writeEndObject();
    } else if (m instanceof Failure f) {
      g.writeStartObject();
      g.writeNumberField(MSG_TYPE, m.type().wireValue());
      g.writeNumberField("code", f.code());
      g.writeFieldName(MEAS_ID);
      if (f.measId().isPresent()) {
        g.writeNumber(f.measId().getAsLong());
      } else {
        g.writeNull();
      }
      g.writeFieldName("extra_info");
      if (f.extraInfo().isPresent()) {
        g.writeString(f.extraInfo().get());
      } else {
        g.writeNull();
      }
      g.writeEndObject();
    } else if (m instanceof Go go) {
      g.writeStartObject();
      g.writeNumberField(MSG_TYPE, m.type().wireValue());
      g.writeNumberField(MEAS_ID, go.measId());
      g.writeEndObject();
    } else if (m instanceof BwReport r) {
      g.writeStartObject();
      g.writeNumberField(MSG_TYPE, m.type().wireValue());
      g.writeNumberField(MEAS_ID, r.measId());
      g.writeFieldName("ts");
      g.writeNumber(plainFloat(r.ts()));
      g.writeNumberField("sent", r.sent());
      g.writeNumberField("recv", r.recv());
      g.writeEndObject();
    } else {
      throw new AssertionError("unhandled message " + m.getClass());
    }
  }

  private static void writeConnectToRelay(JsonGenerator g, ConnectToRelay c) throws IOException {
    g.writeStartObject();
    g.writeNumberField(MSG_TYPE, c.type().wireValue());
    g.writeNumberField(MEAS_ID, c.measId());
    g.writeStringField("fp", c.fp());
    g.writeNumberField("n_circs", c.nCircs());
    g.writeNumberField("dur", c.dur());
    if (c.bw().isPresent()) {
      g.writeNumberField("bw", c.bw().getAsLong());
    }
    g.writeEndObject();
  }

  /**
   * {@code 1594758553.123} rather than Java's {@code 1.594758553123E9}: both are valid JSON, but
   * the plain form is what the Python reference writes and what people expect in a packet dump. It
   * keeps every digit of {@link Double#toString}, so it reads back as the same double.
   */
  static String plainFloat(double d) {
    if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
      return "-0.0";
    }
    String s = BigDecimal.valueOf(d).toPlainString();
    return s.indexOf('.') < 0 ? s + ".0" : s;
  }
}
