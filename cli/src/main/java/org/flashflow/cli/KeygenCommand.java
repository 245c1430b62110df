package org.flashflow.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.flashflow.common.tls.KeyGen;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flashflow keygen}: a node's identity, made once and then pinned by its peers. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Write a new key and self-signed certificate (subject O=NAME) to DIR/NAME.pem, mode 0600.",
      "Give a measurer's NAME.pem certificate to the coordinator (its keydir), and the"
          + " coordinator's to each measurer (coord_cert). An existing file is never overwritten."
    })
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description =
          "Name of the coordinator or measurer: 1 to 64 printable ASCII characters, no '/'.")
  String name;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "Directory to write NAME.pem into; created if missing (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws IOException {
    try {
      KeyGen.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UserException(out + " is not a directory");
    }
    Path file = out.resolve(name + ".pem").toAbsolutePath().normalize();
    try {
      KeyGen.generate(name, file);
    } catch (FileAlreadyExistsException e) {
      if (!file.toString().equals(e.getFile())) {
        throw e; // not our file but, say, a plain file where DIR should be
      }
      throw new UserException(
          file + " already exists; not overwriting a key (peers may have pinned it)", e);
    }
    spec.commandLine().getOut().println(file);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
