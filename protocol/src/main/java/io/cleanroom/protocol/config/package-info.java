/**
 * Reading the YAML configuration files of nodes and coordinator, with errors that name the field.
 */
package io.cleanroom.protocol.config;
