package org.flashflow.common.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A 64 KiB tmpfs the test mounts, for writers that must live through a full disk (ENOSPC). Needs
 * root: skipped without it, failed under {@code FLASHFLOW_REQUIRE_TOOLS=1} ({@link ExternalTools}).
 * Unmounted (lazily, so an open file cannot stop it) by {@link #close}.
 */
public final class SmallDisk implements AutoCloseable {
  private static final int BLOCK = 1024;
  private static final int MAX_BLOCKS = 1024;

  private final Path mount;

  private SmallDisk(Path mount) {
    this.mount = mount;
  }

  /** Mounts a 64 KiB tmpfs on a new directory {@code dir/small}. */
  public static SmallDisk mount(Path dir) throws IOException, InterruptedException {
    ExternalTools.require(
        "root".equals(System.getProperty("user.name")), "root, to mount a tmpfs,");
    Path mount = Files.createDirectory(dir.resolve("small"));
    ExternalTools.require(
        run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount.toString()) == 0,
        "a tmpfs mount");
    return new SmallDisk(mount);
  }

  /** Where the tmpfs is mounted. */
  public Path path() {
    return mount;
  }

  /** Fills the disk to its last byte with a file {@code filler}, which it returns. */
  public Path fill() throws IOException {
    Path filler = mount.resolve("filler");
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[BLOCK];
      for (int i = 0; i < MAX_BLOCKS; i++) {
        out.write(block);
        out.flush();
      }
      throw new AssertionError("the 64 KiB tmpfs took 1 MiB");
    } catch (IOException full) {
      return filler; // ENOSPC: the disk is full
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "-l", mount.toString());
  }

  private static int run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      System.err.println(String.join(" ", cmd) + ": exit " + rc + ": " + out);
    }
    return rc;
  }
}
