package org.flashflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DefaultLoggingTest {
  /** A class path without logback.xml or logback-test.xml (the test class path has one). */
  private static final ClassLoader NO_FILES = new URLClassLoader(new URL[0], null);

  @Test
  void configuresStderrAtInfoWithNettyAtWarn() {
    LoggerContext context = new LoggerContext();
    DefaultLogging config = new DefaultLogging(NO_FILES);
    config.setContext(context);
    assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, config.configure(context));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.INFO, root.getLevel());
    ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
    assertNotNull(stderr);
    assertEquals("System.err", stderr.getTarget());
    assertTrue(stderr.isStarted());
    assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
  }

  @Test
  void stepsAsideForAConfigurationFileNamedByTheOperator() {
    String old = System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
    System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, "/etc/flashflow/logback.xml");
    try {
      LoggerContext context = new LoggerContext();
      DefaultLogging config = new DefaultLogging(NO_FILES);
      config.setContext(context);
      assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, config.configure(context));
      assertTrue(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR") == null);
    } finally {
      if (old == null) {
        System.clearProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
      } else {
        System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, old);
      }
    }
  }

  /** config/logback.xml promises operators the built-in format; keep the two the same. */
  @Test
  void stepsAsideForALogbackXmlOnTheClassPath() {
    LoggerContext context = new LoggerContext();
    DefaultLogging config = new DefaultLogging(new ResourceLoader("logback.xml"));
    config.setContext(context);
    assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, config.configure(context));
  }

  /** Finds one resource name, with any URL; nothing else. */
  private static final class ResourceLoader extends ClassLoader {
    private final String name;

    ResourceLoader(String name) {
      super(null);
      this.name = name;
    }

    @Override
    public URL getResource(String wanted) {
      return wanted.equals(name)
          ? DefaultLoggingTest.class.getResource("DefaultLoggingTest.class")
          : null;
    }
  }

  @Test
  void operatorsConfigFileHasTheSamePattern() throws IOException {
    Path file = Path.of(System.getProperty("user.dir")).getParent().resolve("config/logback.xml");
    String xml = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(
        xml.contains("<pattern>" + DefaultLogging.PATTERN + "</pattern>"),
        "config/logback.xml's STDERR pattern differs from DefaultLogging.PATTERN");
  }
}
