/** The node's YAML configuration. */
package io.cleanroom.node.config;
