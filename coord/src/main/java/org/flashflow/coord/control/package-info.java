/** The operator control socket: line framing over TCP, command parsing and replies. */
package org.flashflow.coord.control;
