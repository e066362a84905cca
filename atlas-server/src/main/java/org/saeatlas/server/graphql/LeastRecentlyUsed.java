package org.saeatlas.server.graphql;

import java.util.LinkedHashMap;
import java.util.Map;

/** A thread-safe map of at most {@code capacity} entries that drops the least recently used one first. */
final class LeastRecentlyUsed<K, V> {

    private final Map<K, V> entries;

    LeastRecentlyUsed(int capacity) {
        this.entries = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(K key) {
        return entries.get(key);
    }

    synchronized void put(K key, V value) {
        entries.put(key, value);
    }

    synchronized int size() {
        return entries.size();
    }
}
