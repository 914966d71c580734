/** Entry processor support: the mutable entry and the effect it records. */
package io.layercache.jcache.processor;
