/** The standard JCache MXBeans (configuration and statistics) and their registration. */
package io.layercache.jcache.management;
