package org.flashflow.common.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any configuration file text: the INI reader and the interpolation either refuse it with a {@link
 * ConfigException} or return a config. Seeds: ConfigFuzzTestInputs (the files in config/ and the
 * syntax of ConfigParseTest and InterpolationTest).
 */
class ConfigFuzzTest {
  @FuzzTest
  void parsesOrRefuses(byte[] data) {
    try {
      assertNotNull(Config.parse(new String(data, UTF_8), "fuzz.ini"));
    } catch (ConfigException e) {
      assertNotNull(e.getMessage());
    }
  }
}
