/** The coordinator's YAML configuration. */
package io.cleanroom.coordinator.config;
