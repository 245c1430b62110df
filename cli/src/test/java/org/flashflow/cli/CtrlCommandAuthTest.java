package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flashflow.common.net.Transport;
import org.flashflow.coord.control.ControlAuth;
import org.flashflow.coord.control.ControlServer;
import org.flashflow.coord.control.CookieFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flashflow ctrl -c coord.ini} finds its way in as the config says: socket or cookie. */
class CtrlCommandAuthTest {
  @TempDir Path dir;
  private EventLoopGroup group;
  private ControlServer server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp() throws Exception {
    group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("ctrl-cli-test"), Transport.ioHandlerFactory());
    byte[] cookie = CookieFile.create(dir.resolve("cookie"), Optional.empty(), new SecureRandom());
    server =
        new ControlServer(
            new ControlServer.Access(
                Optional.of(new InetSocketAddress("127.0.0.1", 0)),
                Optional.of(dir.resolve("ctrl.sock")),
                Optional.empty(),
                new ControlAuth.Cookie(cookie)),
            group.next(),
            (line, reply) -> reply.send(List.of("got " + line, "OK")));
    server.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    assertTrue(group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS));
  }

  private int run(String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "ctrl";
    System.arraycopy(args, 0, all, 1, args.length);
    return cl.execute(all);
  }

  private Path ini(String coordLines) throws Exception {
    Path ini = dir.resolve("coord.ini");
    Files.writeString(
        ini,
        "[coord]\nctrl_addr = 127.0.0.1:"
            + server.boundAddress().getPort()
            + "\nctrl_cookie_file = "
            + dir.resolve("cookie")
            + "\n"
            + coordLines
            + "[ctrl]\ncoord_addr = ${coord:ctrl_addr}\n");
    return ini;
  }

  @Test
  void overTcpItSendsTheCookieFirst() throws Exception {
    assertEquals(0, run("-c", ini("").toString(), "status"), err.toString());
    assertEquals("got status\nOK\n", out.toString());
  }

  @Test
  void theSocketIsPreferredWhenItExists() throws Exception {
    // A cookie file that would be refused: over the socket none is sent.
    Path ini = ini("ctrl_socket = " + dir.resolve("ctrl.sock") + "\n");
    Files.write(dir.resolve("cookie"), new byte[32]);
    assertEquals(0, run("-c", ini.toString(), "status"), err.toString());
    assertEquals("got status\nOK\n", out.toString());
  }

  @Test
  void aWrongCookieIsReportedAsRefused() throws Exception {
    Path ini = ini("");
    Files.write(dir.resolve("cookie"), new byte[32]);
    assertEquals(2, run("-c", ini.toString(), "status"));
    assertEquals(
        "flashflow ctrl: 127.0.0.1:"
            + server.boundAddress().getPort()
            + " refused the authentication: ERR authentication failed\n",
        err.toString());
  }
}
