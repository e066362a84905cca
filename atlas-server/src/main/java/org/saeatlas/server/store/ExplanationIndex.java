package org.saeatlas.server.store;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.schema.Vocabulary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own Lucene index of explanation text, derived from Neo4j and rebuilt from it whenever Neo4j's
 * explanations change: BM25 over the same analysis as the database's full-text index (standard tokenizer, lower
 * case, no stop words), ranked by score and then explanation id (a total order, so pages never overlap), with the
 * model/SAE/layer filters inside the query and only the page's hits returned. Neo4j's full-text procedure cannot do
 * this (ties come back in an order that changes with the page size, and filters need every hit read from the store),
 * which made a common word cost a read of thousands of nodes per page.
 *
 * <p>Which explanations Neo4j holds is summed up by a {@link Signature} (their count, from the count store, and the
 * {@code explanationsRevision} every ingest of explanations bumps); the index answers only for the signature it was
 * built from, so a search never returns what Neo4j no longer holds. Until it is ready the reader uses Neo4j's own
 * full-text index.
 */
public final class ExplanationIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExplanationIndex.class);
    private static final int CHUNK = 20_000;

    /** What the index was built from: the number of explanations and their revision. */
    public record Signature(long count, long revision) { }

    /** A ranked hit: the explanation's id and its BM25 score. */
    public record Hit(String id, double score) { }

    private record Built(Signature signature, DirectoryReader reader, IndexSearcher searcher) { }

    private final CypherExecutor cypher;
    private final long maxDocuments;
    private final BackgroundBuilds builds;
    private final AtomicReference<Built> current = new AtomicReference<>();
    private final AtomicReference<Signature> queued = new AtomicReference<>();

    /** {@code maxDocuments <= 0} turns the index off: every search goes to Neo4j's full-text index. */
    public ExplanationIndex(CypherExecutor cypher, long maxDocuments) {
        this.cypher = cypher.withTimeout(Duration.ofMinutes(2));
        this.maxDocuments = maxDocuments;
        this.builds = new BackgroundBuilds("atlas-explanation-index", LOG);
    }

    /** The analysis of Neo4j's {@code standard-no-stop-words} analyzer, which the full-text migration names. */
    static Analyzer analyzer() {
        return new StandardAnalyzer(CharArraySet.EMPTY_SET);
    }

    /** The statement that reads the signature (one round trip; counts come from Neo4j's count store). */
    static final String SIGNATURE = """
            MATCH (x:Explanation) WITH count(x) AS n
            OPTIONAL MATCH (s:AtlasState {id: $state})
            RETURN n, coalesce(s.explanationsRevision, 0) AS revision""";

    static Signature signatureOf(Map<String, Object> row) {
        return new Signature(((Number) row.get("n")).longValue(), ((Number) row.get("revision")).longValue());
    }

    public boolean enabled() {
        return maxDocuments > 0;
    }

    /**
     * The page {@code [skip, skip + limit)} of hits, or null when the index is not built for {@code now} (a build is
     * then queued).
     */
    public List<Hit> search(Signature now, String text, List<String> models, List<String> saes, List<Long> layers,
                            long skip, int limit) {
        Built b = current.get();
        if (b == null || !b.signature().equals(now)) {
            queue(now);
            return null;
        }
        Query parsed;
        try {
            QueryParser parser = new QueryParser("text", analyzer());
            parsed = parser.parse(text);
        } catch (ParseException e) {
            throw SearchReader.unparsable(text, e.getMessage());
        } catch (IllegalArgumentException | BooleanQuery.TooManyClauses e) {
            throw tooManyTerms(text, e);
        }
        BooleanQuery.Builder q = new BooleanQuery.Builder().add(parsed, BooleanClause.Occur.MUST);
        if (models != null) {
            q.add(terms("model", models), BooleanClause.Occur.FILTER);
        }
        if (saes != null) {
            q.add(terms("sae", saes), BooleanClause.Occur.FILTER);
        }
        if (layers != null) {
            q.add(LongPoint.newSetQuery("layer", layers), BooleanClause.Occur.FILTER);
        }
        int n = (int) Math.min(Integer.MAX_VALUE - 1, skip + limit);
        try {
            TopFieldDocs top = b.searcher().search(q.build(), Math.max(1, n),
                    new Sort(SortField.FIELD_SCORE, new SortField("id", SortField.Type.STRING)), true);
            List<Hit> hits = new ArrayList<>();
            for (int k = (int) Math.min(skip, top.scoreDocs.length); k < Math.min(n, top.scoreDocs.length); k++) {
                ScoreDoc d = top.scoreDocs[k];
                hits.add(new Hit(b.searcher().storedFields().document(d.doc).get("id"), d.score));
            }
            return hits;
        } catch (BooleanQuery.TooManyClauses e) {
            throw tooManyTerms(text, e);
        } catch (IOException e) {
            throw new AtlasException("search index: " + e.getMessage(), e);
        }
    }

    private static AtlasException tooManyTerms(String text, RuntimeException e) {
        return new AtlasException("search: '" + text + "' expands to too many terms; make it narrower", e);
    }

    private static Query terms(String field, List<String> values) {
        return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
    }

    /** Queues a build from what Neo4j holds now (called when the server starts). */
    public void warm(SearchReader reader) {
        if (enabled()) {
            queue(reader.explanationSignature());
        }
    }

    /** Waits until no build is queued or running; true if that happened within {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return builds.awaitIdle(timeout);
    }

    /** The signature the ready index was built from, or null. */
    public Signature ready() {
        Built b = current.get();
        return b == null ? null : b.signature();
    }

    private void queue(Signature wanted) {
        if (!enabled() || wanted.count() > maxDocuments || wanted.equals(queued.getAndSet(wanted))) {
            return;
        }
        builds.submit("the explanation search index", this::build, () -> queued.set(null));
    }

    private void build() throws IOException {
        long t0 = System.nanoTime();
        Signature before = signatureOf(cypher.read(SIGNATURE, Map.of("state", Vocabulary.ATLAS_STATE)).get(0));
        Built existing = current.get();
        if (existing != null && existing.signature().equals(before)) {
            return;
        }
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        long docs = 0;
        try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer()).setRAMBufferSizeMB(64))) {
            String after = "";
            while (true) {
                List<Map<String, Object>> rows = cypher.read("""
                        MATCH (x:Explanation) WHERE x.id > $after
                        RETURN x.id AS id, x.text AS text, x.model AS model, x.sae AS sae, x.layer AS layer
                        ORDER BY x.id LIMIT $chunk""", Map.of("after", after, "chunk", CHUNK));
                for (Map<String, Object> r : rows) {
                    Document d = new Document();
                    String id = (String) r.get("id");
                    d.add(new StringField("id", id, Field.Store.YES));
                    d.add(new SortedDocValuesField("id", new BytesRef(id)));
                    d.add(new TextField("text", String.valueOf(r.get("text")), Field.Store.NO));
                    if (r.get("model") != null) {
                        d.add(new StringField("model", (String) r.get("model"), Field.Store.NO));
                    }
                    if (r.get("sae") != null) {
                        d.add(new StringField("sae", (String) r.get("sae"), Field.Store.NO));
                    }
                    if (r.get("layer") instanceof Number layer) {
                        d.add(new LongPoint("layer", layer.longValue()));
                    }
                    w.addDocument(d);
                    after = id;
                }
                docs += rows.size();
                if (rows.size() < CHUNK) {
                    break;
                }
            }
            w.forceMerge(1);
        }
        DirectoryReader reader = DirectoryReader.open(dir);
        // the replaced index is left to the garbage collector: searches may still be reading it
        current.set(new Built(before, reader, new IndexSearcher(reader)));
        queued.set(before);
        LOG.info("explanation search index: {} explanations indexed in {} ms", docs,
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void close() {
        builds.close();
        try {
            Built b = current.getAndSet(null);
            if (b != null) {
                b.reader().close();
            }
        } catch (IOException e) {
            LOG.debug("closing the explanation index: {}", e.getMessage());
        }
    }
}
