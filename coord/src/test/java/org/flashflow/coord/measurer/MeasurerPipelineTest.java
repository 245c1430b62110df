package org.flashflow.coord.measurer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.flashflow.coord.core.MeasurerLink;
import org.flashflow.proto.BwReport;
import org.flashflow.proto.ConnectToRelay;
import org.flashflow.proto.Failure;
import org.flashflow.proto.Go;
import org.flashflow.proto.Message;
import org.flashflow.proto.MessageCodec;
import org.flashflow.proto.netty.MessageFraming;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The measurer pipeline after TLS: framing, codec and the thin handler, without sockets. */
class MeasurerPipelineTest {
  private static final String GO = "{\"msg_type\": 1089, \"meas_id\": 123}";
  private static final String REPORT =
      "{\"msg_type\": -289, \"meas_id\": 123, \"ts\": 1594758553.123, \"sent\": 1000,"
          + " \"recv\": 2000}";

  private RecordingListener listener;
  private EmbeddedChannel ch;

  @BeforeEach
  void setUp() {
    listener = new RecordingListener();
    ch = channel(Optional.of("alice"));
  }

  /** Writes a test left queued are buffers too. */
  @AfterEach
  void tearDown() {
    ch.finishAndReleaseAll();
  }

  private EmbeddedChannel channel(Optional<String> name) {
    EmbeddedChannel c = new EmbeddedChannel();
    MeasurerServer.addCodecAndHandler(c.pipeline(), listener, ctx -> name);
    return c;
  }

  private void handshake() {
    ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
  }

  private void write(String s) {
    ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
  }

  private List<Message> messages() {
    return listener.all().stream()
        .filter(e -> e.kind().equals("message"))
        .map(RecordingListener.Event::message)
        .toList();
  }

  private List<String> kinds() {
    return listener.all().stream().map(RecordingListener.Event::kind).toList();
  }

  @Test
  void handshakeAnnouncesTheMeasurerByName() {
    handshake();
    assertEquals(List.of("connected"), kinds());
    assertEquals("alice", listener.all().get(0).link().name());
  }

  @Test
  void aMeasurerThatDoesNotReadIsDroppedAtTheHighWaterMark() {
    handshake();
    ch.config().setWriteBufferWaterMark(MeasurerServer.WATER_MARK);
    MeasurerLink link = listener.all().get(0).link();
    // Written but never taken by the peer: EmbeddedChannel only moves what is flushed, so queue
    // without flushing as a socket whose peer does not read would.
    String padding = "x".repeat(1000);
    int sent = 0;
    while (ch.isWritable() && sent < 1000) {
      ch.write(new Failure(1, OptionalLong.of(sent), Optional.of(padding)));
      sent++;
    }
    ch.runPendingTasks();
    assertFalse(ch.isOpen(), "closed once over " + MeasurerServer.MAX_UNREAD_BYTES + " bytes");
    assertTrue(sent > MeasurerServer.WATER_MARK.low() / 1000, "closed too early, after " + sent);
    assertEquals(List.of("connected", "disconnected"), kinds());
    assertSame(link, listener.all().get(1).link());
  }

  @Test
  void severalObjectsInOneRead() {
    handshake();
    write(GO + "\n" + REPORT + "\n" + GO + "\n");
    assertEquals(
        List.of(new Go(123), new BwReport(123, 1594758553.123, 1000, 2000), new Go(123)),
        messages());
    assertTrue(ch.isOpen());
  }

  @Test
  void oneObjectSplitAcrossReads() {
    handshake();
    byte[] bytes = (REPORT + "\n").getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertEquals(List.of(new BwReport(123, 1594758553.123, 1000, 2000)), messages());
  }

  @Test
  void objectsBackToBackWithoutSeparator() {
    // The original Python implementation wrote objects with no newline between them.
    handshake();
    write(GO + REPORT + GO);
    assertEquals(3, messages().size());
  }

  @Test
  void whitespaceBetweenObjects() {
    handshake();
    write(" \n\t" + GO + "  \r\n\n ");
    write("\t" + REPORT + " ");
    assertEquals(List.of(new Go(123), new BwReport(123, 1594758553.123, 1000, 2000)), messages());
    assertTrue(ch.isOpen());
  }

  @Test
  void objectOverTheLimitClosesTheConnection() {
    handshake();
    String big =
        "{\"msg_type\": 62424, \"code\": 1, \"meas_id\": 1, \"extra_info\": \""
            + "x".repeat(MessageCodec.MAX_OBJECT_BYTES)
            + "\"}\n"
            + GO;
    write(big);
    assertFalse(ch.isOpen());
    assertEquals(List.of(), messages());
    assertEquals(List.of("connected", "disconnected"), kinds());
  }

  @Test
  void endlessObjectClosesTheConnectionOnceTheFramerBufferIsFull() {
    handshake();
    String start = "{\"msg_type\": 62424, \"code\": 1, \"meas_id\": 1, \"extra_info\": \"";
    write(start);
    String chunk = "y".repeat(8192);
    for (int i = 0;
        ch.isOpen() && i < 2 * MessageFraming.FRAMER_BUFFER_BYTES / chunk.length();
        i++) {
      write(chunk);
    }
    assertFalse(ch.isOpen(), "an object without end must not be buffered without bound");
    assertEquals(List.of("connected", "disconnected"), kinds());
  }

  @Test
  void burstOfSmallMessagesLargerThanTheObjectLimitIsAccepted() {
    handshake();
    int n = 2 * MessageCodec.MAX_OBJECT_BYTES / GO.length();
    write((GO + "\n").repeat(n));
    assertEquals(n, messages().size());
    assertTrue(ch.isOpen());
  }

  @Test
  void objectJustUnderTheLimitIsAccepted() {
    handshake();
    String prefix = "{\"msg_type\": 62424, \"code\": 1, \"meas_id\": 1, \"extra_info\": \"";
    String suffix = "\"}";
    int pad = MessageCodec.MAX_OBJECT_BYTES - prefix.length() - suffix.length() - 100;
    write(prefix + "x".repeat(pad) + suffix);
    assertEquals(1, messages().size());
    assertEquals(1, ((Failure) messages().get(0)).code());
  }

  @Test
  void invalidJsonClosesTheConnectionAndNothingAfterItCounts() {
    handshake();
    write(GO + "\n{\"msg_type\": 1089, \"meas_id\": }\n" + GO + "\n");
    assertFalse(ch.isOpen());
    assertEquals(List.of(new Go(123)), messages());
    assertEquals(List.of("connected", "message", "disconnected"), kinds());
  }

  @Test
  void nonJsonClosesTheConnection() {
    handshake();
    write("GET / HTTP/1.0\r\n\r\n");
    assertFalse(ch.isOpen());
    assertEquals(List.of("connected", "disconnected"), kinds());
  }

  @Test
  void unknownMessageTypeClosesTheConnection() {
    handshake();
    write("{\"msg_type\": 4, \"meas_id\": 123}\n" + GO);
    assertFalse(ch.isOpen());
    assertEquals(List.of(), messages());
  }

  @Test
  void missingFieldClosesTheConnection() {
    handshake();
    write("{\"msg_type\": 1089}");
    assertFalse(ch.isOpen());
    assertEquals(List.of(), messages());
  }

  @Test
  void encoderWritesOneObjectAndANewline() throws Exception {
    handshake();
    MeasurerLink link = listener.all().get(0).link();
    ConnectToRelay c =
        new ConnectToRelay(
            7, "ABABABABABABABABABABABABABABABABABABABAB", 10, 30, OptionalLong.of(5));
    link.send(c);
    link.send(new Go(7));
    ByteBuf first = ch.readOutbound();
    ByteBuf second = ch.readOutbound();
    String s1 = first.toString(StandardCharsets.UTF_8);
    String s2 = second.toString(StandardCharsets.UTF_8);
    first.release();
    second.release();
    assertTrue(s1.endsWith("}\n"), s1);
    assertEquals(1, s1.chars().filter(x -> x == '\n').count());
    assertEquals(c, MessageCodec.decode(s1.trim()));
    assertEquals(new Go(7), MessageCodec.decode(s2.trim()));
  }

  @Test
  void noNameInCertificateMeansNoMeasurer() {
    ch = channel(Optional.empty());
    handshake();
    assertFalse(ch.isOpen());
    assertEquals(List.of(), listener.all());
  }

  @Test
  void failedHandshakeIsNeverAnnounced() {
    ch.pipeline()
        .fireUserEventTriggered(
            new SslHandshakeCompletionEvent(new javax.net.ssl.SSLHandshakeException("bad cert")));
    assertFalse(ch.isOpen());
    ch.runPendingTasks();
    assertEquals(List.of(), listener.all());
  }

  @Test
  void dataBeforeTheHandshakeIsRefused() {
    write(GO);
    assertFalse(ch.isOpen());
    assertEquals(List.of(), listener.all());
  }

  @Test
  void disconnectIsAnnouncedExactlyOnce() {
    handshake();
    MeasurerLink link = listener.all().get(0).link();
    link.close("test says so");
    link.close("again");
    ch.close();
    ch.runPendingTasks();
    assertEquals(List.of("connected", "disconnected"), kinds());
    assertSame(link, listener.all().get(1).link());
    assertNull(ch.readInbound());
  }

  @Test
  void sendAfterCloseIsHarmless() {
    handshake();
    MeasurerLink link = listener.all().get(0).link();
    ch.close();
    link.send(new Go(1));
    assertEquals(List.of("connected", "disconnected"), kinds());
  }
}
