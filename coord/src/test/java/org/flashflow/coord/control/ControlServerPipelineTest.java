package org.flashflow.coord.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control pipeline without sockets: framing, limits, half-close and reply ordering. */
class ControlServerPipelineTest {
  private static final Duration IDLE = Duration.ofMinutes(10);

  /** Answers "OK <line>" at once, except lines starting with "slow", whose reply the test sends. */
  private final List<String> lines = new ArrayList<>();

  private final Map<String, ControlReply> pending = new HashMap<>();
  private EmbeddedChannel ch;

  @BeforeEach
  void setUp() {
    ch = new EmbeddedChannel();
    ControlServer.configure(ch.pipeline(), this::onLine, IDLE);
  }

  /** Replies a test did not read are buffers too. */
  @AfterEach
  void tearDown() {
    ch.finishAndReleaseAll();
  }

  private void onLine(String line, ControlReply reply) {
    lines.add(line);
    if (line.startsWith("slow")) {
      pending.put(line, reply);
    } else if (line.equals("quit")) {
      reply.send(List.of("OK bye"));
      reply.close();
    } else if (line.equals("quit-close-first")) {
      reply.close();
      reply.send(List.of("OK bye"));
    } else if (line.equals("boom")) {
      throw new IllegalStateException("handler bug");
    } else {
      reply.send(List.of("line one", "OK " + line));
    }
  }

  private void write(String s) {
    ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
  }

  private String output() {
    StringBuilder sb = new StringBuilder();
    for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
      sb.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return sb.toString();
  }

  private void endOfInput() {
    ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    ch.runPendingTasks();
  }

  @Test
  void crlfAndLfLinesAreCommandsWithoutLineEnds() {
    write("status\r\nhelp\n");
    assertEquals(List.of("status", "help"), lines);
    assertEquals("line one\nOK status\nline one\nOK help\n", output());
    assertTrue(ch.isOpen());
  }

  @Test
  void aClientThatDoesNotReadIsNotServedUntilItDoes() {
    // Over the high water mark (the client has not read our replies): no command is run and
    // nothing read until the replies drain, so that replies cannot pile up in memory.
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    write("status\nhelp\n");
    assertEquals(List.of(), lines);
    assertFalse(ch.config().isAutoRead());
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    ch.runPendingTasks();
    assertEquals(List.of("status", "help"), lines);
    assertTrue(ch.config().isAutoRead());
    assertEquals("line one\nOK status\nline one\nOK help\n", output());
  }

  @Test
  void lineSplitAcrossReads() {
    write("sta");
    write("tus\r");
    assertEquals(List.of(), lines);
    write("\n");
    assertEquals(List.of("status"), lines);
  }

  @Test
  void lastLineWithoutNewlineCountsAtEndOfInput() {
    write("help\nmeasure FP");
    assertEquals(List.of("help"), lines);
    endOfInput();
    assertEquals(List.of("help", "measure FP"), lines);
    assertEquals("line one\nOK help\nline one\nOK measure FP\n", output());
    assertFalse(ch.isOpen());
  }

  @Test
  void lastLineWithCrOnlyAtEndOfInput() {
    write("status\r");
    endOfInput();
    assertEquals(List.of("status"), lines);
    assertFalse(ch.isOpen());
  }

  @Test
  void endOfInputWithNothingBufferedJustCloses() {
    write("status\n");
    endOfInput();
    assertEquals(List.of("status"), lines);
    assertEquals("line one\nOK status\n", output());
    assertFalse(ch.isOpen());
  }

  @Test
  void lineOfExactlyTheLimitIsAccepted() {
    String line = "x".repeat(ControlServer.MAX_LINE_BYTES);
    write(line + "\r\n");
    assertEquals(List.of(line), lines);
    assertTrue(ch.isOpen());
  }

  @Test
  void lineOverTheLimitIsRefusedAndClosesTheConnection() {
    write("x".repeat(ControlServer.MAX_LINE_BYTES + 1) + "\nstatus\n");
    assertEquals("ERR line too long (limit 1024 bytes)\n", output());
    assertEquals(List.of(), lines);
    assertFalse(ch.isOpen());
  }

  @Test
  void overlongLineWithoutNewlineIsRefusedAtOnce() {
    write("y".repeat(600));
    write("y".repeat(600));
    assertEquals("ERR line too long (limit 1024 bytes)\n", output());
    assertFalse(ch.isOpen());
  }

  @Test
  void repliesStayInOrderWhenTheFirstIsDelayed() {
    write("slow one\nfast\n");
    assertEquals(List.of("slow one"), lines, "second command must wait for the first reply");
    assertEquals("", output());
    assertFalse(ch.config().isAutoRead(), "reading pauses while a reply is pending");

    pending.get("slow one").send(List.of("OK slow done"));
    assertEquals(List.of("slow one", "fast"), lines);
    assertEquals("OK slow done\nline one\nOK fast\n", output());
    assertTrue(ch.config().isAutoRead());
  }

  @Test
  void endOfInputWaitsForThePendingReply() {
    write("slow x");
    endOfInput();
    assertTrue(ch.isOpen());
    pending.get("slow x").send(List.of("OK late"));
    ch.runPendingTasks();
    assertEquals("OK late\n", output());
    assertFalse(ch.isOpen());
  }

  @Test
  void overlongLineIsRefusedInItsTurn() {
    write("slow a\n" + "z".repeat(2000) + "\n");
    assertEquals("", output());
    assertTrue(ch.isOpen());
    pending.get("slow a").send(List.of("OK a"));
    assertEquals("OK a\nERR line too long (limit 1024 bytes)\n", output());
    assertFalse(ch.isOpen());
  }

  @Test
  void lateReplyAfterTheClientLeftIsHarmless() {
    write("slow gone\nstatus\n");
    ch.close();
    pending.get("slow gone").send(List.of("OK late"));
    assertEquals(List.of("slow gone"), lines, "queued lines of a closed connection are dropped");
  }

  @Test
  void quitClosesAfterTheReply() {
    write("quit\nstatus\n");
    assertEquals("OK bye\n", output());
    assertFalse(ch.isOpen());
    assertEquals(List.of("quit"), lines);
  }

  @Test
  void closeBeforeSendStillDeliversTheReply() {
    write("quit-close-first\n");
    assertEquals("OK bye\n", output());
    assertFalse(ch.isOpen());
  }

  @Test
  void handlerExceptionIsAnErrReplyAndTheConnectionGoesOn() {
    write("boom\nstatus\n");
    assertEquals("ERR internal error\nline one\nOK status\n", output());
    assertTrue(ch.isOpen());
  }

  @Test
  void invalidUtf8ReachesTheHandlerAsReplacementCharacters() {
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'m', (byte) 0xff, (byte) 0xfe, '\n'}));
    assertEquals(1, lines.size());
    assertTrue(lines.get(0).startsWith("m\uFFFD"), lines.get(0));
  }

  @Test
  void idleConnectionIsClosed() {
    ch.advanceTimeBy(IDLE.toMillis() + 1000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertFalse(ch.isOpen());
  }

  @Test
  void activeConnectionIsNotClosedForIdleness() {
    ch.advanceTimeBy(IDLE.toMillis() / 2, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    write("status\n");
    ch.advanceTimeBy(IDLE.toMillis() / 2 + 1000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isOpen());
  }
}
