package org.flashflow.coord.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.coord.results.RetentionPolicy;
import org.junit.jupiter.api.Test;

class CoordConfigTest {
  @Test
  void cleanupDefaultsAreSbwsLike() throws Exception {
    assertEquals(RetentionPolicy.DEFAULT, CoordConfig.from(Config.defaults()).retention());
  }

  @Test
  void cleanupKeysTakeUnits() throws Exception {
    Config c =
        Config.parse(
            "[cleanup]\nresults_compress_after = 2 weeks\nresults_delete_after = 90 days\n"
                + "v3bw_compress_after = 3600\nv3bw_delete_after = 2 days\n",
            "test.ini");
    assertEquals(
        new RetentionPolicy(
            Duration.ofDays(14), Duration.ofDays(90), Duration.ofHours(1), Duration.ofDays(2)),
        CoordConfig.retention(c));
  }

  @Test
  void deleteAfterMustBeLongerThanCompressAfter() throws Exception {
    Config c =
        Config.parse("[cleanup]\nv3bw_compress_after = 7 days\nv3bw_delete_after = 7 days\n", "x");
    ConfigException e = assertThrows(ConfigException.class, () -> CoordConfig.retention(c));
    assertEquals(
        "[cleanup] v3bw_delete_after = \"7 days\": expected a duration longer than"
            + " v3bw_compress_after (7 days)",
        e.getMessage());
    Config zero = Config.parse("[cleanup]\nresults_compress_after = 0\n", "x");
    assertThrows(ConfigException.class, () -> CoordConfig.retention(zero));
  }

  @Test
  void controlDefaultsAreCookieAuthOnLocalhostAndSixtyPercentToVote() throws Exception {
    CoordConfig c = CoordConfig.from(Config.defaults());
    assertEquals(CoordConfig.AuthMode.COOKIE, c.control().auth());
    assertEquals("localhost:12935", c.control().tcp().orElseThrow().toString());
    assertEquals(java.util.Optional.empty(), c.control().socket());
    assertEquals(java.nio.file.Path.of("data-coord/ctrl_auth_cookie"), c.control().cookieFile());
    assertEquals(60, c.v3bwSettings().minimumPercentEligible());
  }

  @Test
  void badControlValuesNameTheKey() throws Exception {
    ConfigException auth =
        assertThrows(
            ConfigException.class,
            () -> CoordConfig.control(Config.parse("[coord]\nctrl_auth = secret\n", "x")));
    assertEquals(
        "[coord] ctrl_auth = \"secret\": expected cookie, password or none", auth.getMessage());
    ConfigException noHash =
        assertThrows(
            ConfigException.class,
            () -> CoordConfig.control(Config.parse("[coord]\nctrl_auth = password\n", "x")));
    assertEquals(
        "[coord] ctrl_password_hash = \"\": expected a hash from 'flashflow hash-password' when"
            + " ctrl_auth = password",
        noHash.getMessage());
    ConfigException badHash =
        assertThrows(
            ConfigException.class,
            () ->
                CoordConfig.control(Config.parse("[coord]\nctrl_password_hash = hunter2\n", "x")));
    assertEquals(
        "[coord] ctrl_password_hash = \"hunter2\": expected a hash from 'flashflow"
            + " hash-password' ($scrypt$ln=..,r=..,p=..$salt$hash)",
        badHash.getMessage());
    ConfigException group =
        assertThrows(
            ConfigException.class,
            () -> CoordConfig.from(Config.parse("[v3bw]\ngroup = no-such-group-x\n", "x")));
    assertEquals(
        "[v3bw] group = \"no-such-group-x\": expected an existing group"
            + " (java.io.IOException: no such group)",
        group.getMessage());
  }
}
