/**
 * The {@code flashflow} command line: picocli subcommands, wiring of the components they run, exit
 * codes and logging setup. The only place that calls {@code System.exit}; no protocol logic lives
 * here.
 */
package org.flashflow.cli;
