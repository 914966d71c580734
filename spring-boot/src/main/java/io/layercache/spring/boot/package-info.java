/**
 * Spring Boot auto-configuration of LayerCache: {@code layercache.*} properties, and an optional
 * HOCON file, become the LayerCache JCache manager behind Spring's cache abstraction.
 */
package io.layercache.spring.boot;
