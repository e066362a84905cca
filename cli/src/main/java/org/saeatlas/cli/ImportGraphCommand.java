package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.store.GraphFileImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import-graph", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import a graph made elsewhere (networkx node-link JSON, `nx.node_link_data`) as an edge set of"
            + " its own: a run of kind 'imported' whose edges (LINKS) join the features its nodes stand for, in one SAE"
            + " or several (a cross-layer graph). Node and link attributes are kept; the run records the file and the"
            + " mapping. Importing the same graph with the same mapping again changes nothing.",
            "Example: ./atlas import-graph circuit.json --sae 12-gemmascope-res-16k",
            "Example: ./atlas import-graph cross_layer.json --sae-attribute layer --sae 8=gemma-l8 --sae 9=gemma-l9",
            "Example: ./atlas import-graph gpt2_circuit.json --sae-attribute layer --create-saes --model gpt2-small"
                + " --width 24576 --sae-id '{layer}-res-jb' --explanation-attribute explanation"})
class ImportGraphCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "networkx node-link JSON (\"links\" or networkx 3.6 \"edges\").")
    Path file;

    @Option(names = "--sae", arity = "1..*", paramLabel = "[VALUE=]SAE",
            description = "SAE of the nodes: one id for all, or VALUE=SAE per value of --sae-attribute.")
    List<String> saes = List.of();

    @Option(names = "--create-saes", description = "Create the SAEs the graph names that are not in the atlas"
            + " (with --model, --width and --sae-id), instead of refusing. Their features have no statistics.")
    boolean createSaes;

    @Option(names = "--model", paramLabel = "ID", description = "With --create-saes: the model of the new SAEs.")
    String model;

    @Option(names = "--width", paramLabel = "D_SAE", description = "With --create-saes: features per new SAE.")
    Integer width;

    @Option(names = "--sae-id", paramLabel = "PATTERN", description = "With --create-saes: the new SAEs' id,"
            + " {value} (or {<sae-attribute>}, e.g. {layer}) replaced by the node's --sae-attribute value, e.g."
            + " '{layer}-res-jb'.")
    String saeIdPattern;

    @Option(names = "--hook", paramLabel = "PATTERN", description = "With --create-saes: the new SAEs' hook point,"
            + " same placeholders, e.g. 'blocks.{layer}.hook_resid_pre'.")
    String hookPattern;

    @Option(names = "--explanation-attribute", paramLabel = "ATTR", description = "Node attribute holding the"
            + " feature's explanation: stored as an explanation of the feature (source: the file), searchable as"
            + " any other.")
    String explanationAttribute;

    @Option(names = "--sae-attribute", paramLabel = "ATTR",
            description = "Node attribute that says which SAE a node is in (e.g. layer).")
    String saeAttribute;

    @Option(names = "--feature-attribute", paramLabel = "ATTR", description = "Node attribute holding the feature"
            + " index (default: the node id when it is an integer, else 'feature', 'index' or 'feature_index').")
    String featureAttribute;

    @Option(names = "--weight-attribute", paramLabel = "ATTR",
            description = "Link attribute that becomes the edge weight (default: 'weight' if links have it, else 1).")
    String weightAttribute;

    @Option(names = "--where", paramLabel = "ATTR=VALUE", arity = "1..*",
            description = "Import only nodes with these attribute values (links to other nodes are skipped).")
    List<String> where = List.of();

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        Map<String, String> bySae = new LinkedHashMap<>();
        for (String s : saes) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                bySae.put("", s);
            } else {
                bySae.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        Map<String, String> filters = new LinkedHashMap<>();
        for (String w : where) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new AtlasException("--where: expected ATTR=VALUE, found '" + w + "'");
            }
            filters.put(w.substring(0, eq), w.substring(eq + 1));
        }
        if (!createSaes && (model != null || width != null || saeIdPattern != null || hookPattern != null)) {
            throw new AtlasException("--model, --width, --sae-id and --hook describe SAEs to create: add"
                    + " --create-saes");
        }
        GraphFileImport.NewSaes create = createSaes ? new GraphFileImport.NewSaes(model, width == null ? 0 : width,
                saeIdPattern, hookPattern, saeAttribute) : null;
        GraphFileImport.Mapping mapping = new GraphFileImport.Mapping(bySae, saeAttribute, featureAttribute, weightAttribute,
                filters, create, explanationAttribute);
        long t0 = System.nanoTime();
        GraphFileImport.Summary s = GraphFileImport.importFile(database.target(), file, mapping,
                new ProgressPrinter(System.out));
        System.out.printf(Locale.ROOT, "%s run %s: %,d edges between features of %s (%,d nodes mapped, %,d nodes"
                        + " and %,d links skipped) in %.1fs%n", s.loaded() ? "imported" : "already loaded:", s.runId(),
                s.edges(), s.saes(), s.nodesMapped(), s.nodesSkipped(), s.linksSkipped(),
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
