/**
 * The declarative configuration file (HOCON, Typesafe Config): named caches and the default
 * template, validated at startup with messages that name the setting.
 */
package io.layercache.config;
