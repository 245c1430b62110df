/**
 * Load harnesses that drive the real coordinator in-process and print numbers; no tests, and
 * nothing here is used by the coordinator itself.
 */
package org.flashflow.bench;
