package org.flashflow.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runtime changes to Logback's configuration. Only the cli module knows the logging backend; the
 * libraries below it speak SLF4J.
 */
final class Logging {
  private Logging() {}

  /**
   * Lowers the root logger to DEBUG. Loggers configured explicitly (Netty, at WARN) keep their
   * level: their DEBUG output is about Netty, not about FlashFlow.
   */
  static void enableDebug() {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext) {
      ((LoggerContext) factory).getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
    }
  }
}
