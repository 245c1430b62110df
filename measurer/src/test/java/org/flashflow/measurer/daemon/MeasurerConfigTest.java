package org.flashflow.measurer.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.flashflow.common.config.Config;
import org.flashflow.common.config.ConfigException;
import org.flashflow.common.config.HostPort;
import org.flashflow.measurer.MeasurerSettings;
import org.flashflow.torctl.session.TorSession;
import org.junit.jupiter.api.Test;

class MeasurerConfigTest {
  @Test
  void defaultsLaunchTorInTheDataDirectory() throws Exception {
    MeasurerConfig c = MeasurerConfig.from(Config.defaults());

    assertEquals(Path.of("data-meas"), c.datadir());
    assertEquals(Path.of("data-meas/keys/measurer.pem"), c.key());
    assertEquals(Path.of("data-meas/keys/coord.pem"), c.coordCert());
    assertEquals(new HostPort("localhost", 12934), c.coordAddr());
    assertEquals(MeasurerSettings.of(Duration.ofSeconds(20)), c.settings());
    assertTrue(c.tor() instanceof TorSession.Mode.Launch, c.tor().toString());
    assertEquals(Duration.ofSeconds(60), c.torReconnectMaxBackoff());
  }

  @Test
  void readsItsKeysAndAttachesWhenToldWhere() throws Exception {
    Config raw =
        Config.parse(
            """
            [measurer]
            datadir = /m
            coord_addr = coord.example:443
            circ_build_timeout = 2 min
            [tor]
            control_addr = localhost:9051
            """,
            "test.ini");

    MeasurerConfig c = MeasurerConfig.from(raw);

    assertEquals(Path.of("/m/keys/coord.pem"), c.coordCert());
    assertEquals(new HostPort("coord.example", 443), c.coordAddr());
    assertEquals(Duration.ofMinutes(2), c.settings().circBuildTimeout());
    assertTrue(c.tor() instanceof TorSession.Mode.Attach, c.tor().toString());
  }

  @Test
  void badValuesNameTheirKey() {
    for (String bad :
        new String[] {
          "[measurer]\ncirc_build_timeout = 0\n",
          "[measurer]\ncirc_build_timeout = soon\n",
          "[measurer]\ncoord_addr = localhost:0\n",
        }) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> MeasurerConfig.from(Config.parse(bad, "t")));
      String key = bad.substring(bad.indexOf('\n') + 1, bad.indexOf(' '));
      assertTrue(e.getMessage().contains("[measurer] " + key), e.getMessage());
    }
  }
}
