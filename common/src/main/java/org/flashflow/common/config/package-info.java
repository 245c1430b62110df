/**
 * The INI configuration of coordinator, measurer and {@code flashflow ctrl}: parsing,
 * interpolation, defaults and typed values; no component logic lives here.
 */
package org.flashflow.common.config;
