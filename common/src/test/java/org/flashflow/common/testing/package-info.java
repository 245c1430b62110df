/** Helpers shared by the tests of every module (published as common's test jar). */
package org.flashflow.common.testing;
