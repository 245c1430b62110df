/**
 * Full-system tests: the coordinator, measurers and the emulated FlashFlow network, real parts over
 * loopback in one JVM (a measurer in its own process where one must be killed).
 */
package org.flashflow.systest;
