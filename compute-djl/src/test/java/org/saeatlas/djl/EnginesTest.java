package org.saeatlas.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.engine.ComputeEngine;

/** --device choices: java is Java, cpu/auto are DJL here, gpu without a GPU warns once and runs on the CPU. */
class EnginesTest {

    @Test
    void choicesMapToEngines() {
        List<String> warnings = new ArrayList<>();
        try (ComputeEngine java = Engines.select(EngineChoice.JAVA, TestEngines.CACHE, 2, warnings::add)) {
            assertEquals("java", java.name());
            assertEquals("java", java.cosine().name());
        }
        try (ComputeEngine cpu = Engines.select(EngineChoice.CPU, TestEngines.CACHE, 2, warnings::add)) {
            assertEquals("djl-cpu", cpu.name());
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
        if (Engine.getEngine(DjlRuntime.ENGINE).getGpuCount() == 0) {
            try (ComputeEngine auto = Engines.select(EngineChoice.AUTO, TestEngines.CACHE, 2, warnings::add)) {
                assertEquals("djl-cpu", auto.name());
            }
            assertTrue(warnings.isEmpty(), "auto without a GPU is silent: " + warnings);
            try (ComputeEngine gpu = Engines.select(EngineChoice.GPU, TestEngines.CACHE, 2, warnings::add)) {
                assertEquals("djl-cpu", gpu.name());
            }
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("no GPU"), warnings.get(0));
        }
    }

    @Test
    void parsesDeviceNamesAndRefusesOthers() {
        assertEquals(EngineChoice.GPU, EngineChoice.parse(" GPU "));
        assertEquals(EngineChoice.JAVA, EngineChoice.parse("java"));
        AtlasException e = assertThrows(AtlasException.class, () -> EngineChoice.parse("cuda"));
        assertTrue(e.getMessage().contains("expected auto, cpu, gpu or java, found 'cuda'"), e.getMessage());
    }
}
