package org.saeatlas.server.store;

import static org.saeatlas.server.store.ReadStatements.params;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Models and SAEs, and what an SAE's page shows of its error: sampled error tokens and error-norm comparisons. */
public final class CatalogueReader {

    private static final String SAE = "s {.*, featureCount: COUNT { (s)<-[:IN_SAE]-() } } AS s";

    private final ReadStatements db;

    public CatalogueReader(ReadStatements db) {
        this.db = db;
    }

    public List<Model> models() {
        return db.column("MATCH (m:Model) RETURN m {.*} AS m ORDER BY m.id", Map.of(), "m").stream()
                .map(Model::of).toList();
    }

    /** A model, or null. */
    public Model model(String id) {
        return db.column("MATCH (m:Model {id: $id}) RETURN m {.*} AS m", params("id", id), "m").stream()
                .map(Model::of).findFirst().orElse(null);
    }

    /** SAEs, of one model unless {@code model} is null, by model, layer and id. */
    public List<Sae> saes(String model) {
        return db.column("MATCH (s:Sae) WHERE $model IS NULL OR s.model = $model RETURN " + SAE
                + " ORDER BY s.model, s.layer, s.id", params("model", model), "s").stream().map(Sae::of).toList();
    }

    /** An SAE, or null. */
    public Sae sae(String id) {
        return db.column("MATCH (s:Sae {id: $id}) RETURN " + SAE, params("id", id), "s").stream().map(Sae::of)
                .findFirst().orElse(null);
    }

    /** SAEs by id, in one round trip. */
    public Map<String, Sae> saesById(Collection<String> ids) {
        Map<String, Sae> out = new HashMap<>();
        for (Map<String, Object> s : db.column("MATCH (s:Sae) WHERE s.id IN $ids RETURN " + SAE,
                params("ids", List.copyOf(ids)), "s")) {
            Sae sae = Sae.of(s);
            out.put(sae.id(), sae);
        }
        return out;
    }

    /** Sampled error tokens of an SAE by rank; {@code kind} null for both kinds. */
    public List<ErrorToken> errorTokens(String sae, String kind, int limit) {
        return db.column("""
                MATCH (t:ErrorToken {sae: $sae}) WHERE $kind IS NULL OR t.kind = $kind
                RETURN t {.*} AS t ORDER BY t.rank LIMIT $limit""", params("sae", sae, "kind", kind, "limit", limit),
                "t").stream().map(ErrorToken::of).toList();
    }

    /** Error-norm comparisons with {@code sae} as predictor or predicted. */
    public List<ErrorComparison> errorComparisons(String sae) {
        return db.column("""
                MATCH (a:Sae)-[c:COMPARES_ERRORS]->(b:Sae) WHERE a.id = $sae OR b.id = $sae
                RETURN c {.*, predictor: a.id, predicted: b.id} AS c ORDER BY c.predictor, c.predicted""",
                params("sae", sae), "c").stream().map(ErrorComparison::of).toList();
    }
}
