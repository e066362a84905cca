// Full-text (Lucene, BM25) index over explanation text: the source of search(text).
CREATE FULLTEXT INDEX explanation_text IF NOT EXISTS FOR (n:Explanation) ON EACH [n.text]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-no-stop-words' } };
