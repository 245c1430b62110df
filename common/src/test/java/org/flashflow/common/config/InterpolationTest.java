package org.flashflow.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterpolationTest {
  private static Config parse(String text) throws ConfigException {
    return Config.parse(text.replace("\\n", "\n"), "t.ini");
  }

  @Test
  void defaultsFollowAnOverriddenBase() throws Exception {
    Config c = parse("[coord]\ndatadir = /var/lib/ff\n");
    assertEquals("/var/lib/ff/keys/coord.pem", c.string("coord", "key"));
    assertEquals("/var/lib/ff/results/results.log", c.string("coord", "results_log"));
    // Cross-section reference in a default, resolved in the referenced section.
    assertEquals("/var/lib/ff/v3bw/v3bw", c.string("v3bw", "v3bw"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // same section, from the file
        "[coord]\\ndatadir = d\\nkeydir = ${datadir}/k | coord | keydir | d/k",
        // same section, from the defaults
        "[coord]\\nkeydir = ${datadir}/k | coord | keydir | data-coord/k",
        // other section, which itself refers to its own section
        "[tor]\\ntor_bin = ${coord:keydir}/tor | tor | tor_bin | data-coord/keys/tor",
        // other section, key written in upper case
        "[tor]\\ntor_bin = ${measurer:DATADIR}/tor | tor | tor_bin | data-meas/tor",
        // several references and $$
        "[tor]\\ncontrol_password = $$${coord:datadir}$$x$$ | tor | control_password | $data-coord$x$",
        // an unknown section may be referenced and refer to others
        "[x]\\na = 1\\nb = ${a}${coord:datadir}\\n[tor]\\ntor_bin = ${x:b} | tor | tor_bin | 1data-coord",
        // the measurer's coord_cert follows its keydir
        "[measurer]\\nkeydir = /k | measurer | coord_cert | /k/coord.pem",
      })
  void resolves(String text, String section, String key, String expected) throws Exception {
    assertEquals(expected, parse(text).string(section, key));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "[coord]\\ndatadir = ${nope}/x"
            + " | t.ini: [coord] datadir = \"${nope}/x\": unknown reference ${nope} (no key nope"
            + " in [coord])",
        "[coord]\\ndatadir = ${nosection:datadir}"
            + " | t.ini: [coord] datadir = \"${nosection:datadir}\": unknown reference"
            + " ${nosection:datadir} (no key datadir in [nosection])",
        "[coord]\\ndatadir = $HOME"
            + " | t.ini: [coord] datadir = \"$HOME\": expected '$' followed by '{name}' or '$'"
            + " (write $$ for a literal $)",
        "[coord]\\ndatadir = ${unclosed"
            + " | t.ini: [coord] datadir = \"${unclosed\": expected '$' followed by '{name}' or '$'"
            + " (write $$ for a literal $)",
        "[coord]\\ndatadir = ${a:b:c}"
            + " | t.ini: [coord] datadir = \"${a:b:c}\": expected ${key} or ${section:key}, not"
            + " ${a:b:c}",
        "[coord]\\ndatadir = ${keydir}"
            + " | t.ini: interpolation cycle: [coord] datadir -> [coord] keydir -> [coord] datadir",
        "[coord]\\ndatadir = ${datadir}"
            + " | t.ini: interpolation cycle: [coord] datadir -> [coord] datadir",
        "[a]\\nx = ${b:y}\\n[b]\\ny = ${a:x}"
            + " | t.ini: interpolation cycle: [a] x -> [b] y -> [a] x",
      })
  void failsNamingTheProblem(String text, String expected) {
    assertEquals(expected, assertThrows(ConfigException.class, () -> parse(text)).getMessage());
  }

  @Test
  void aChainDeeperThanTheLimitFails() throws Exception {
    StringBuilder ok = new StringBuilder("[x]\nk0 = end\n");
    for (int i = 1; i < Interpolator.MAX_DEPTH; i++) {
      ok.append("k").append(i).append(" = ${k").append(i - 1).append("}\n");
    }
    assertEquals("end", parse(ok.toString()).string("x", "k" + (Interpolator.MAX_DEPTH - 1)));

    String deeper =
        ok + "k" + Interpolator.MAX_DEPTH + " = ${k" + (Interpolator.MAX_DEPTH - 1) + "}\n";
    String msg = assertThrows(ConfigException.class, () -> parse(deeper)).getMessage();
    assertEquals(
        "t.ini: interpolation deeper than 10 levels: [x] k10 -> [x] k9 -> [x] k8 -> [x] k7 -> [x]"
            + " k6 -> [x] k5 -> [x] k4 -> [x] k3 -> [x] k2 -> [x] k1 -> [x] k0",
        msg);
  }
}
