package net.freehaven.tor.control;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A jtorctl connection that FlashFlow can drive. It lives in jtorctl's package because jtorctl
 * keeps {@code sendAndWaitForResponse} protected and the reply fields package-private, so a
 * subclass anywhere else could not read replies such as {@code 250 LAUNCHED 12} or {@code
 * PROTOCOLINFO}. (Works on the class path and in a shaded jar, not in a named JPMS module.)
 *
 * <p>It also mends three things jtorctl gets wrong for us: its error replies drop the status code
 * (so a tap on the input remembers the last final reply line); its CIRC parsing drops {@code
 * REASON=} and it splits a multi-line event into one event per line (so every event is handed raw,
 * whole, to {@link EventHandler#unrecognized}); and a reader failure other than a clean EOF neither
 * tells the handler nor frees the waiting command (so the reader's exit is reported to a callback,
 * which must free the waiting thread).
 */
public class FlashFlowControlConnection extends TorControlConnection {

  /** One line of a reply: status code, separator-free text, and the data block if any. */
  public record Line(String status, String msg, Optional<String> data) {}

  /** An error reply from tor: the status code and text of its final line. */
  public static final class ErrorReplyException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ErrorReplyException(int status, String text) {
      super(text);
      this.status = status;
    }

    /** The three-digit code, or -1 if the tap did not see it. */
    public int status() {
      return status;
    }
  }

  private final StatusTap tap;
  private final Consumer<IOException> onReaderExit;
  private volatile EventHandler rawHandler;

  private FlashFlowControlConnection(
      StatusTap tap, Writer out, Consumer<IOException> onReaderExit) {
    super(new BufferedReader(tap), out);
    this.tap = tap;
    this.onReaderExit = onReaderExit;
  }

  /**
   * Builds a connection whose reader thread is not started yet.
   *
   * @param in tor's side of the connection, already decoded with an explicit charset
   * @param out our side, encoded with an explicit charset
   * @param onReaderExit called once on the reader thread when it stops for any reason (EOF, socket
   *     error, a bug); must not block
   */
  public static FlashFlowControlConnection create(
      Reader in, Writer out, Consumer<IOException> onReaderExit) {
    return new FlashFlowControlConnection(new StatusTap(in), out, onReaderExit);
  }

  @Override
  public void setEventHandler(EventHandler handler) {
    this.rawHandler = handler;
    super.setEventHandler(handler);
  }

  /**
   * Sends one command line (without CRLF) and waits for the whole reply.
   *
   * @throws ErrorReplyException if any reply line has a status other than 2xx
   * @throws IOException if the connection is lost or the waiting thread is interrupted
   */
  public List<Line> command(String line) throws IOException {
    List<ReplyLine> reply;
    try {
      reply = sendAndWaitForResponse(line + "\r\n", null);
    } catch (TorNotRunningException e) {
      throw e;
    } catch (TorControlException e) {
      String last = tap.lastFinalLine();
      if (last == null || last.charAt(0) == '2') {
        throw new ErrorReplyException(-1, String.valueOf(e.getMessage()));
      }
      throw new ErrorReplyException(Integer.parseInt(last.substring(0, 3)), last);
    }
    List<Line> lines = new ArrayList<>(reply.size());
    for (ReplyLine r : reply) {
      lines.add(new Line(r.status, r.msg, Optional.ofNullable(r.rest)));
    }
    return lines;
  }

  /**
   * Hands every event to the handler raw, instead of jtorctl's lossy per-type parsing. One reply is
   * one event: a one-line {@code 650 CIRC ...}, or a multi-line one such as {@code
   * 650+NEWCONSENSUS}, its data block, and the closing {@code 650 OK} (which jtorctl would
   * otherwise pass on as an event of type {@code OK}). The handler gets the event's keyword and the
   * rest of its first line, followed by LF and the data, as jtorctl unescaped it (each line ended
   * by LF).
   */
  @Override
  @SuppressWarnings("NonApiType") // jtorctl's signature
  protected void handleEvent(ArrayList<ReplyLine> events) {
    EventHandler h = rawHandler;
    if (h == null || events.isEmpty()) {
      return;
    }
    ReplyLine first = events.get(0);
    String msg = first.msg;
    int sp = msg.indexOf(' ');
    String type = sp < 0 ? msg : msg.substring(0, sp);
    StringBuilder rest = new StringBuilder(sp < 0 ? "" : msg.substring(sp + 1));
    int last = events.size() - 1;
    for (int i = 0; i <= last; i++) {
      ReplyLine line = events.get(i);
      if (i > 0) {
        if (i == last && line.msg.equals("OK") && line.rest == null) {
          break; // the end of a multi-line event, not an event of its own
        }
        rest.append('\n').append(line.msg);
      }
      if (line.rest != null) {
        rest.append('\n').append(line.rest);
      }
    }
    h.unrecognized(type, rest.toString());
  }

  @Override
  protected void react() throws IOException {
    try {
      super.react();
    } catch (IOException e) {
      onReaderExit.accept(e);
      throw e;
    } catch (RuntimeException | Error e) {
      IOException wrapped = new IOException("jtorctl reader thread failed: " + e, e);
      onReaderExit.accept(wrapped);
      throw wrapped;
    }
  }

  /**
   * Remembers the last final reply line ({@code NNN text}, not an event) that tor sent, so an error
   * reply keeps its status code. Only the reader thread reads through it; while a command waits for
   * its reply, no other reply can follow it, because commands are sent one at a time.
   */
  private static final class StatusTap extends FilterReader {
    private static final int MAX_LINE = 4096;
    private final StringBuilder line = new StringBuilder();
    private boolean inData;
    private volatile String lastFinal;

    StatusTap(Reader in) {
      super(in);
    }

    String lastFinalLine() {
      return lastFinal;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0) {
        see((char) c);
      }
      return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      for (int i = 0; i < n; i++) {
        see(buf[off + i]);
      }
      return n;
    }

    private void see(char c) {
      if (c != '\n') {
        if (c != '\r' && line.length() < MAX_LINE) {
          line.append(c);
        }
        return;
      }
      String l = line.toString();
      line.setLength(0);
      if (inData) {
        inData = !l.equals(".");
      } else if (l.length() >= 4 && Character.isDigit(l.charAt(0))) {
        char sep = l.charAt(3);
        if (sep == '+') {
          inData = true;
        } else if (sep == ' ' && l.charAt(0) != '6') {
          lastFinal = l;
        }
      }
    }
  }
}
