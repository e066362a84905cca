package org.saeatlas.ingest.atlas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.saeatlas.errors.AtlasException;

/**
 * An atlas file ({@code atlas.yaml}): defaults, models with their SAEs and each SAE's inputs and settings, and the
 * cross-SAE work (matches, comparisons, connections). {@link #read} checks everything that can be checked without
 * computing — unknown keys, missing input files, duplicate ids, cycles, widths against the SAELens cfg — and refuses
 * the file naming its line and key. Relative paths are relative to the file's folder.
 */
public record AtlasFile(Path file, AtlasSettings defaults, List<Model> models, List<Sae> saes, List<Pair> matches,
                        List<String> similarities, List<Pair> comparisons, List<Pair> connections) {

    /** Similarities a match can use, as written in the file. */
    public static final String DECODER_COSINE = "decoder-cosine";
    public static final String ACTIVATION_CORRELATION = "activation-correlation";

    public record Model(String id, String name, int line) { }

    /**
     * One SAE. {@code width} is the file's, or the SAELens cfg's d_sae when the file gives none; null when neither
     * says (then the activations do).
     */
    public record Sae(String id, String model, String release, Integer layer, String hookPoint, Integer width,
                      Integer seed, String architecture, Inputs inputs, AtlasSettings settings, int line) { }

    /**
     * Where an SAE's inputs are; null when not given. Exactly one of {@code activations} (a scipy .npz, .npy,
     * .safetensors or a delphi latent cache folder) and {@code residuals} (encoded through {@code saelens}).
     */
    public record Inputs(Path saelens, Path activations, Path residuals, List<Path> explanations, List<Path> examples,
                         Path tokens, Path vocab) {

        /** Every input by role ("activations", "explanations[1]", ...), in a fixed order. */
        public Map<String, Path> byRole() {
            Map<String, Path> m = new LinkedHashMap<>();
            put(m, "saelens", saelens);
            put(m, "activations", activations);
            put(m, "residuals", residuals);
            for (int k = 0; k < explanations.size(); k++) {
                m.put("explanations[" + k + "]", explanations.get(k));
            }
            for (int k = 0; k < examples.size(); k++) {
                m.put("examples[" + k + "]", examples.get(k));
            }
            put(m, "tokens", tokens);
            put(m, "vocab", vocab);
            return m;
        }

        private static void put(Map<String, Path> m, String k, Path p) {
            if (p != null) {
                m.put(k, p);
            }
        }
    }

    /**
     * Two SAEs joined by cross-SAE work; {@code rule} says where it came from ("seeds: same layer", "widths:
     * adjacent", "layers: adjacent" or "pairs"). For connections {@code a} is upstream, {@code b} downstream.
     */
    public record Pair(String a, String b, String rule) { }

    public Sae sae(String id) {
        for (Sae s : saes) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new AtlasException("no SAE '" + id + "' in " + file);
    }

    // ---------------------------------------------------------------------------------------------------------------

    static final Set<String> TOP = Set.of("version", "defaults", "models", "matches", "comparisons",
            "connections");
    static final Set<String> MODEL = Set.of("id", "name", "saes");
    static final Set<String> SAE = Set.of("id", "release", "layer", "hook-point", "width", "seed",
            "architecture", "inputs", "settings");
    static final Set<String> INPUTS = Set.of("saelens", "activations", "residuals", "delphi", "explanations",
            "examples", "tokens", "vocab");
    static final Set<String> MATCHES = Set.of("seeds", "widths", "pairs", "by");
    static final Set<String> COMPARISONS = Set.of("seeds", "widths", "pairs");
    static final Set<String> CONNECTIONS = Set.of("layers", "pairs");
    static final Set<String> ARCHITECTURES = Set.of("relu", "standard", "jumprelu", "topk");

    /** Reads and checks {@code file}; throws {@link AtlasFileError} naming the line and key of the first problem. */
    public static AtlasFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AtlasFileError(file, 0, "", "no such file; expected an atlas file (YAML, see the README)");
        }
        return new Reader(file.toAbsolutePath().normalize()).read(YamlNode.read(file));
    }

    private static final class Reader {
        private final Path file;
        private final Path folder;

        Reader(Path file) {
            this.file = file;
            this.folder = file.getParent();
        }

        AtlasFile read(YamlNode root) {
            map(root, TOP, "an atlas file (version, defaults, models, matches, comparisons, connections)");
            YamlNode version = root.map.get("version");
            if (version != null && !(version.scalar instanceof Number n && n.intValue() == 1)) {
                throw error(version, "expected version 1 (the only atlas file format so far), found "
                        + version.describe());
            }
            AtlasSettings defaults = AtlasSettings.none().with(settings(root.map.get("defaults")));
            YamlNode modelsNode = required(root, "models");
            if (modelsNode.kind != YamlNode.Kind.LIST || modelsNode.list.isEmpty()) {
                throw error(modelsNode, "expected a list of models (- id: ..., saes: [...]), found "
                        + modelsNode.describe());
            }
            List<Model> models = new ArrayList<>();
            List<Sae> saes = new ArrayList<>();
            Map<String, YamlNode> modelIds = new HashMap<>();
            Map<String, YamlNode> saeIds = new HashMap<>();
            for (YamlNode m : modelsNode.list) {
                map(m, MODEL, "a model (id, name, saes)");
                YamlNode idNode = required(m, "id");
                String id = text(idNode);
                if (modelIds.containsKey(id)) {
                    throw error(idNode, "duplicate model id '" + id + "' (first on line " + modelIds.get(id).line + ")");
                }
                modelIds.put(id, idNode);
                String name = m.map.containsKey("name") ? text(m.map.get("name")) : id;
                models.add(new Model(id, name, m.line));
                YamlNode saeList = required(m, "saes");
                if (saeList.kind != YamlNode.Kind.LIST || saeList.list.isEmpty()) {
                    throw error(saeList, "expected a list of SAEs (- id: ..., inputs: {...}), found "
                            + saeList.describe());
                }
                for (YamlNode s : saeList.list) {
                    Sae sae = sae(s, id, defaults);
                    YamlNode sid = s.map.get("id");
                    if (saeIds.containsKey(sae.id())) {
                        throw error(sid, "duplicate SAE id '" + sae.id() + "' (first on line "
                                + saeIds.get(sae.id()).line + "); SAE ids are unique in the atlas");
                    }
                    saeIds.put(sae.id(), sid);
                    saes.add(sae);
                }
            }
            List<String> similarities = List.of(DECODER_COSINE);
            List<Pair> matches = List.of();
            YamlNode mn = root.map.get("matches");
            if (mn != null) {
                map(mn, MATCHES, "matches (seeds: same layer, widths: adjacent, pairs: [[a, b]], by: [...])");
                matches = pairs(mn, saes, saeIds, "matches");
                if (mn.map.containsKey("by")) {
                    similarities = similarities(mn.map.get("by"));
                }
            }
            List<Pair> comparisons = List.of();
            YamlNode cn = root.map.get("comparisons");
            if (cn != null) {
                map(cn, COMPARISONS, "comparisons (seeds: same layer, widths: adjacent, pairs: [[a, b]])");
                comparisons = pairs(cn, saes, saeIds, "comparisons");
            }
            List<Pair> connections = List.of();
            YamlNode kn = root.map.get("connections");
            if (kn != null) {
                map(kn, CONNECTIONS, "connections (layers: adjacent, pairs: [{upstream: a, downstream: b}])");
                connections = connections(kn, saes, saeIds);
            }
            return new AtlasFile(file, defaults, List.copyOf(models), List.copyOf(saes), matches, similarities,
                    comparisons, connections);
        }

        private Sae sae(YamlNode s, String model, AtlasSettings defaults) {
            map(s, SAE, "an SAE (id, release, layer, hook-point, width, seed, architecture, inputs, settings)");
            String id = text(required(s, "id"));
            if (id.isBlank() || id.contains("/")) {
                throw error(s.map.get("id"), "expected an SAE id without '/' (feature ids are <sae>/<index>), found '"
                        + id + "'");
            }
            String release = optionalText(s, "release");
            Integer layer = optionalInt(s, "layer", 0);
            String hook = optionalText(s, "hook-point");
            Integer width = optionalInt(s, "width", 1);
            Integer seed = optionalInt(s, "seed", Integer.MIN_VALUE);
            String arch = optionalText(s, "architecture");
            if (arch != null && !ARCHITECTURES.contains(arch)) {
                throw error(s.map.get("architecture"), "expected one of relu, jumprelu, topk, found '" + arch + "'");
            }
            Inputs inputs = inputs(required(s, "inputs"));
            AtlasSettings settings = defaults.with(settings(s.map.get("settings")));
            if (inputs.saelens() != null) {
                int dSae = dSae(s.map.get("inputs").map.get("saelens"), inputs.saelens());
                if (width != null && width != dSae) {
                    throw error(s.map.get("width"), "width " + width + " disagrees with the SAELens cfg "
                            + inputs.saelens().resolve("cfg.json") + " (d_sae = " + dSae + ")");
                }
                width = dSae;
            }
            try {
                settings.stability(1);
            } catch (AtlasException e) {
                YamlNode at = s.map.containsKey("settings") ? s.map.get("settings") : s;
                throw error(at, "settings: " + e.getMessage());
            }
            return new Sae(id, model, release, layer, hook, width, seed, arch, inputs, settings, s.line);
        }

        private Inputs inputs(YamlNode n) {
            map(n, INPUTS, "the SAE's inputs (saelens, activations | residuals | delphi, explanations, examples,"
                    + " tokens, vocab)");
            Path saelens = path(n, "saelens", true);
            if (saelens != null) {
                for (String f : List.of("cfg.json", "sae_weights.safetensors")) {
                    if (!Files.isRegularFile(saelens.resolve(f))) {
                        throw error(n.map.get("saelens"), "the SAELens folder " + saelens + " has no " + f);
                    }
                }
            }
            Path activations = path(n, "activations", false);
            Path delphi = path(n, "delphi", true);
            Path residuals = path(n, "residuals", false);
            int given = (activations != null ? 1 : 0) + (delphi != null ? 1 : 0) + (residuals != null ? 1 : 0);
            if (given != 1) {
                throw error(n, "expected exactly one of activations (feature activations), delphi (a delphi latent"
                        + " cache) and residuals (encoded through saelens), found " + given);
            }
            if (residuals != null && saelens == null) {
                throw error(n.map.get("residuals"), "residuals are encoded through the SAE: give saelens too");
            }
            return new Inputs(saelens, activations != null ? activations : delphi, residuals,
                    paths(n, "explanations"), paths(n, "examples"), path(n, "tokens", false), path(n, "vocab", false));
        }

        private Map<String, Object> settings(YamlNode n) {
            if (n == null) {
                return Map.of();
            }
            if (n.kind != YamlNode.Kind.MAP) {
                throw error(n, "expected settings as key: value (e.g. resamples: 30), found " + n.describe());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, YamlNode> e : n.map.entrySet()) {
                Class<?> type = AtlasSettings.KEYS.get(e.getKey());
                if (type == null) {
                    throw error(e.getValue(), "unknown setting; expected one of " + String.join(", ",
                            AtlasSettings.keys()));
                }
                try {
                    m.put(e.getKey(), AtlasSettings.coerce(e.getKey(), e.getValue().scalar, type));
                } catch (AtlasException x) {
                    throw error(e.getValue(), x.getMessage());
                }
            }
            return m;
        }

        private List<Pair> pairs(YamlNode n, List<Sae> saes, Map<String, YamlNode> ids, String what) {
            Set<List<String>> seen = new LinkedHashSet<>();
            List<Pair> out = new ArrayList<>();
            YamlNode seeds = n.map.get("seeds");
            if (seeds != null) {
                String rule = text(seeds);
                if (rule.equals("same layer")) {
                    add(out, seen, sameLayerSeeds(saes));
                } else if (!rule.equals("none")) {
                    throw error(seeds, "expected 'same layer' (every two seeds of one model, layer and width) or"
                            + " 'none', found '" + rule + "'");
                }
            }
            YamlNode widths = n.map.get("widths");
            if (widths != null) {
                String rule = text(widths);
                if (rule.equals("adjacent")) {
                    add(out, seen, adjacent(saes, "widths: adjacent", s -> s.model() + "\0" + s.layer() + "\0"
                            + s.seed(), Sae::width));
                } else if (!rule.equals("none")) {
                    throw error(widths, "expected 'adjacent' (each width with the next larger one, same model,"
                            + " layer and seed) or 'none', found '" + rule + "'");
                }
            }
            YamlNode explicit = n.map.get("pairs");
            if (explicit != null) {
                if (explicit.kind != YamlNode.Kind.LIST) {
                    throw error(explicit, "expected a list of pairs ([saeA, saeB]), found " + explicit.describe());
                }
                for (YamlNode p : explicit.list) {
                    if (p.kind != YamlNode.Kind.LIST || p.list.size() != 2) {
                        throw error(p, "expected a pair [saeA, saeB], found " + p.describe());
                    }
                    String a = known(p.list.get(0), ids);
                    String b = known(p.list.get(1), ids);
                    if (a.equals(b)) {
                        throw error(p, what + " join two different SAEs; found '" + a + "' twice");
                    }
                    add(out, seen, List.of(new Pair(a, b, "pairs")));
                }
            }
            return List.copyOf(out);
        }

        private List<Pair> connections(YamlNode n, List<Sae> saes, Map<String, YamlNode> ids) {
            Set<List<String>> seen = new LinkedHashSet<>();
            List<Pair> out = new ArrayList<>();
            Map<Pair, YamlNode> where = new HashMap<>();
            YamlNode layers = n.map.get("layers");
            if (layers != null) {
                String rule = text(layers);
                if (rule.equals("adjacent")) {
                    add(out, seen, adjacent(saes, "layers: adjacent", s -> s.model() + "\0" + s.width() + "\0"
                            + s.seed(), Sae::layer), false);
                } else if (!rule.equals("none")) {
                    throw error(layers, "expected 'adjacent' (each layer with the next one, same model, width and"
                            + " seed) or 'none', found '" + rule + "'");
                }
            }
            YamlNode explicit = n.map.get("pairs");
            if (explicit != null) {
                if (explicit.kind != YamlNode.Kind.LIST) {
                    throw error(explicit, "expected a list of {upstream: saeA, downstream: saeB}, found "
                            + explicit.describe());
                }
                for (YamlNode p : explicit.list) {
                    map(p, Set.of("upstream", "downstream"), "a connection {upstream: saeA, downstream: saeB}");
                    String a = known(required(p, "upstream"), ids);
                    String b = known(required(p, "downstream"), ids);
                    if (a.equals(b)) {
                        throw error(p, "a connection joins two different SAEs; found '" + a + "' upstream and"
                                + " downstream (a cycle)");
                    }
                    Pair pair = new Pair(a, b, "pairs");
                    where.put(pair, p);
                    add(out, seen, List.of(pair), false);
                }
            }
            List<String> cycle = cycle(out);
            if (cycle != null) {
                Pair last = null;
                for (Pair p : out) {
                    if (p.a().equals(cycle.get(cycle.size() - 2)) && p.b().equals(cycle.get(cycle.size() - 1))) {
                        last = p;
                    }
                }
                YamlNode at = last != null && where.containsKey(last) ? where.get(last) : n;
                throw error(at, "connections form a cycle: " + String.join(" -> ", cycle) + "; connections run from"
                        + " upstream to downstream layers");
            }
            return List.copyOf(out);
        }

        /** Adds pairs not seen yet; {@code seen} holds both orders for symmetric work (matches, comparisons). */
        private static void add(List<Pair> out, Set<List<String>> seen, List<Pair> pairs) {
            add(out, seen, pairs, true);
        }

        private static void add(List<Pair> out, Set<List<String>> seen, List<Pair> pairs, boolean symmetric) {
            for (Pair p : pairs) {
                if (!(symmetric && seen.contains(List.of(p.b(), p.a()))) && seen.add(List.of(p.a(), p.b()))) {
                    out.add(p);
                }
            }
        }

        private static List<Pair> sameLayerSeeds(List<Sae> saes) {
            Map<String, List<Sae>> groups = new LinkedHashMap<>();
            for (Sae s : saes) {
                if (s.layer() != null && s.seed() != null) {
                    groups.computeIfAbsent(s.model() + "\0" + s.layer() + "\0" + s.width(), k -> new ArrayList<>())
                            .add(s);
                }
            }
            List<Pair> out = new ArrayList<>();
            for (List<Sae> g : groups.values()) {
                List<Sae> sorted = new ArrayList<>(g);
                sorted.sort(Comparator.comparing(Sae::seed));
                for (int i = 0; i < sorted.size(); i++) {
                    for (int j = i + 1; j < sorted.size(); j++) {
                        if (!sorted.get(i).seed().equals(sorted.get(j).seed())) {
                            out.add(new Pair(sorted.get(i).id(), sorted.get(j).id(), "seeds: same layer"));
                        }
                    }
                }
            }
            return out;
        }

        private static List<Pair> adjacent(List<Sae> saes, String rule, java.util.function.Function<Sae, String> group,
                                           java.util.function.Function<Sae, Integer> order) {
            Map<String, List<Sae>> groups = new LinkedHashMap<>();
            for (Sae s : saes) {
                if (order.apply(s) != null) {
                    groups.computeIfAbsent(group.apply(s), k -> new ArrayList<>()).add(s);
                }
            }
            List<Pair> out = new ArrayList<>();
            for (List<Sae> g : groups.values()) {
                List<Sae> sorted = new ArrayList<>(g);
                sorted.sort(Comparator.comparing(order));
                for (int i = 0; i + 1 < sorted.size(); i++) {
                    if (!order.apply(sorted.get(i)).equals(order.apply(sorted.get(i + 1)))) {
                        out.add(new Pair(sorted.get(i).id(), sorted.get(i + 1).id(), rule));
                    }
                }
            }
            return out;
        }

        /** A directed cycle among {@code pairs} (a -> b) as a list of ids ending where it began, or null. */
        static List<String> cycle(List<Pair> pairs) {
            Map<String, List<String>> next = new LinkedHashMap<>();
            for (Pair p : pairs) {
                next.computeIfAbsent(p.a(), k -> new ArrayList<>()).add(p.b());
            }
            Map<String, Integer> state = new HashMap<>();
            for (String start : next.keySet()) {
                List<String> path = new ArrayList<>();
                List<String> found = visit(start, next, state, path);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }

        private static List<String> visit(String v, Map<String, List<String>> next, Map<String, Integer> state,
                                          List<String> path) {
            Integer s = state.get(v);
            if (s != null && s == 2) {
                return null;
            }
            if (s != null && s == 1) {
                List<String> c = new ArrayList<>(path.subList(path.indexOf(v), path.size()));
                c.add(v);
                return c;
            }
            state.put(v, 1);
            path.add(v);
            for (String w : next.getOrDefault(v, List.of())) {
                List<String> c = visit(w, next, state, path);
                if (c != null) {
                    return c;
                }
            }
            path.remove(path.size() - 1);
            state.put(v, 2);
            return null;
        }

        private List<String> similarities(YamlNode n) {
            List<YamlNode> items = n.kind == YamlNode.Kind.LIST ? n.list : List.of(n);
            List<String> out = new ArrayList<>();
            for (YamlNode i : items) {
                String s = text(i);
                if (!s.equals(DECODER_COSINE) && !s.equals(ACTIVATION_CORRELATION)) {
                    throw error(i, "expected decoder-cosine or activation-correlation (the latter needs both SAEs'"
                            + " activations over the same tokens), found '" + s + "'");
                }
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
            if (out.isEmpty()) {
                throw error(n, "expected at least one similarity (decoder-cosine, activation-correlation)");
            }
            return List.copyOf(out);
        }

        private String known(YamlNode n, Map<String, YamlNode> ids) {
            String id = text(n);
            if (!ids.containsKey(id)) {
                throw error(n, "unknown SAE '" + id + "'; expected one of the SAE ids above (" + String.join(", ",
                        ids.keySet().stream().sorted().toList()) + ")");
            }
            return id;
        }

        private int dSae(YamlNode at, Path saelens) {
            Path cfg = saelens.resolve("cfg.json");
            try {
                JsonNode c = new ObjectMapper().readTree(cfg.toFile());
                JsonNode d = c.get("d_sae");
                if (d == null || !d.canConvertToInt() || d.asInt() < 1) {
                    throw error(at, cfg + " has no positive d_sae");
                }
                return d.asInt();
            } catch (IOException e) {
                throw error(at, "cannot read " + cfg + " (" + e.getMessage() + ")");
            }
        }

        private void map(YamlNode n, Set<String> allowed, String expected) {
            if (n.kind != YamlNode.Kind.MAP) {
                throw error(n, "expected " + expected + ", found " + n.describe());
            }
            for (Map.Entry<String, YamlNode> e : n.map.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    throw error(e.getValue(), "unknown key '" + e.getKey() + "'; expected one of "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
        }

        private YamlNode required(YamlNode n, String key) {
            YamlNode v = n.map.get(key);
            if (v == null) {
                throw new AtlasFileError(file, n.line, n.path.isEmpty() ? key : n.path + "." + key,
                        "missing; it is required here");
            }
            return v;
        }

        private String text(YamlNode n) {
            if (n.kind != YamlNode.Kind.SCALAR || n.scalar == null || n.scalar instanceof Boolean) {
                throw error(n, "expected a word or number, found " + n.describe());
            }
            return String.valueOf(n.scalar);
        }

        private String optionalText(YamlNode n, String key) {
            return n.map.containsKey(key) ? text(n.map.get(key)) : null;
        }

        private Integer optionalInt(YamlNode n, String key, int min) {
            YamlNode v = n.map.get(key);
            if (v == null) {
                return null;
            }
            if (!(v.scalar instanceof Integer i) || i < min) {
                throw error(v, "expected a whole number" + (min > Integer.MIN_VALUE ? " >= " + min : "") + ", found "
                        + v.describe());
            }
            return i;
        }

        private Path path(YamlNode n, String key, boolean folderAllowed) {
            YamlNode v = n.map.get(key);
            if (v == null) {
                return null;
            }
            return existing(v, text(v));
        }

        private Path existing(YamlNode v, String written) {
            Path p = folder.resolve(written).normalize();
            if (!Files.exists(p)) {
                throw error(v, "input " + written + " not found (looked for " + p + ")");
            }
            return p;
        }

        private List<Path> paths(YamlNode n, String key) {
            YamlNode v = n.map.get(key);
            if (v == null) {
                return List.of();
            }
            List<YamlNode> items = v.kind == YamlNode.Kind.LIST ? v.list : List.of(v);
            List<Path> out = new ArrayList<>();
            for (YamlNode i : items) {
                out.add(existing(i, text(i)));
            }
            return Collections.unmodifiableList(out);
        }

        private AtlasFileError error(YamlNode n, String message) {
            return new AtlasFileError(file, n.line, n.path, message);
        }
    }
}
