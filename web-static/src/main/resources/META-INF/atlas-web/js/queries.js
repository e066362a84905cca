// Every GraphQL document the UI sends, in one place. WebAssetsTest parses the `gql` templates in this file
// and checks each selected field and argument against schema/src/main/resources/graphql/atlas.graphqls,
// so keep every document here, written as `export const NAME = gql\`...\`` (fragments are interpolated
// with ${NAME}, nothing else).

/** Identity tag: marks a template literal as a GraphQL document for readers and for the test. */
export const gql = (strings, ...values) => strings.reduce((out, s, i) => out + s + (i < values.length ? values[i] : ''), '');

export const SAE_SUMMARY = gql`
  fragment SaeSummary on Sae {
    id
    release
    layer
    hookPoint
    width
    seed
    architecture
    featureCount
    model { id name }
  }
`;

export const NEIGHBOUR_FIELDS = gql`
  fragment NeighbourFields on Neighbour {
    kind
    run
    weight
    count
    correlation
    jaccard
    replicates
    nullReplicates
    stable
    cosine
    outgoing
    directed
    attributes
    feature {
      id
      index
      explanation
      sae { id layer model { id } }
    }
  }
`;

export const DISTRIBUTION_FIELDS = gql`
  fragment DistributionFields on Distribution {
    statistic features missing zeros min max mean median scale binEdges counts
  }
`;

export const CATALOGUE = gql`
  query Catalogue {
    models {
      id
      name
      saes {
        ...SaeSummary
        l0
        fvu
        runs(all: true) { id kind method status edgeCount rStar createdAt saes }
      }
    }
  }
  ${SAE_SUMMARY}
`;

export const SAE = gql`
  query Sae($id: ID!, $first: Int, $after: String) {
    sae(id: $id) {
      ...SaeSummary
      dIn
      l0
      fvu
      errorNorm
      errorLinearR2
      errorNormProbeR2
      nonlinearFvu
      errorStatistics { tokens trainTokens heldOutTokens heldOutShare ridge seed heldOutFvu source curve { rank norm } }
      errorTokens(first: 20, kind: "worst") {
        token rank norm kind context position
        topFeatures { index activation feature { id explanation } }
      }
      errorComparisons { predictor { id width } predicted { id width } tokens r2 slope intercept originR2 originSlope }
      firingRate: distribution(statistic: FIRING_RATE) { ...DistributionFields }
      maxActivation: distribution(statistic: MAX_ACTIVATION) { ...DistributionFields }
      meanActivation: distribution(statistic: MEAN_ACTIVATION) { ...DistributionFields }
      runs(all: true) {
        id
        kind
        method
        status
        parameters
        rStar
        thresholdRule
        estimatedChanceFdr
        estimatedIndirectShare
        thresholdReason
        edgeCount
        software
        createdAt
        saes
        shareMatchedA
        shareMatchedB
        graphRuns
        stableConnections
        linearShare
        analyses {
          id algorithm communityCount componentCount modularity
          communities(first: 5) { totalCount edges { node { id index size type reason hub { id explanation } } } }
        }
      }
    }
    comparisons { id runA runB matchRun matchedFeatures degreeJsd edgeJaccard ari nmi }
    features(sae: $id, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node { id index explanation firingRate meanActivation maxActivation }
      }
    }
  }
  ${SAE_SUMMARY}
  ${DISTRIBUTION_FIELDS}
`;

export const SAE_FEATURES = gql`
  query SaeFeatures($id: ID!, $first: Int, $after: String) {
    features(sae: $id, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node { id index explanation firingRate meanActivation maxActivation }
      }
    }
  }
`;

export const SEARCH = gql`
  query Search($text: String!, $filters: SearchFilters, $first: Int, $after: String) {
    search(text: $text, filters: $filters, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        score
        snippet
        explanation { source score }
        feature {
          id
          index
          firingRate
          maxActivation
          sae { id layer width model { id name } }
        }
      }
    }
  }
`;

export const FEATURE = gql`
  query Feature($sae: ID!, $index: Int!, $examples: Int, $first: Int) {
    feature(sae: $sae, index: $index) {
      id
      index
      explanation
      explanations { text source score }
      firingRate
      meanActivation
      maxActivation
      trainingFiringRate
      histogram { binEdges counts }
      sae { ...SaeSummary trainingFiringRateSource runs { id kind rStar parameters } }
      examples(first: $examples) { tokens values maxValue }
      logits { positive { token value } negative { token value } }
      coactivation: neighbours(kind: COACTIVATION, first: $first) { ...NeighbourFields }
      dependence: neighbours(kind: DEPENDENCE, first: $first) { ...NeighbourFields }
      cosine: neighbours(kind: COSINE, first: $first) { ...NeighbourFields }
      match: neighbours(kind: MATCH, first: $first) { ...NeighbourFields }
      structural: neighbours(kind: MATCH, matchedBy: STRUCTURAL, first: $first) { ...NeighbourFields }
      imported: neighbours(kind: IMPORTED, first: $first) { ...NeighbourFields }
      computedFrom {
        run text
        terms { feature { id index sae { id } } explanation weight replicates signConsistency stable }
        linearity { linear linearR2 nonlinearR2 lossDifference threshold }
      }
      feedsInto: neighbours(kind: CONNECTION, direction: DOWNSTREAM, stableOnly: true, first: $first) {
        feature { id index sae { id } explanation } weight replicates run
      }
      matchedIn
      communities { id kind algorithm run size type reason density centralisation meanCosine nearDuplicate }
      similar(first: 8) { similarity feature { id index sae { id } explanation } }
    }
  }
  ${SAE_SUMMARY}
  ${NEIGHBOUR_FIELDS}
`;

/** Cone edge fields: one hop of stable connections, with the far feature placed by its SAE and layer. */
export const CONE_HOP = gql`
  fragment ConeHop on Neighbour {
    weight
    run
    replicates
    feature { id index explanation sae { id layer } }
  }
`;

/**
 * A feature's cone across layers: stable connections two hops upstream (what computes it) and two hops downstream
 * (what it feeds), strongest first, at most $first per feature and hop.
 */
export const CONE = gql`
  query Cone($id: ID!, $first: Int) {
    feature(id: $id) {
      id
      index
      explanation
      sae { id layer }
      upstream: neighbours(kind: CONNECTION, direction: UPSTREAM, stableOnly: true, first: $first) {
        ...ConeHop
        feature {
          upstream: neighbours(kind: CONNECTION, direction: UPSTREAM, stableOnly: true, first: $first) { ...ConeHop }
        }
      }
      downstream: neighbours(kind: CONNECTION, direction: DOWNSTREAM, stableOnly: true, first: $first) {
        ...ConeHop
        feature {
          downstream: neighbours(kind: CONNECTION, direction: DOWNSTREAM, stableOnly: true, first: $first) { ...ConeHop }
        }
      }
    }
  }
  ${CONE_HOP}
`;

export const NEIGHBOURS = gql`
  query Neighbours(
    $id: ID!
    $kind: EdgeKind!
    $first: Int
    $minReplicates: Int
    $stableOnly: Boolean
    $sign: Sign
    $matchedBy: MatchSimilarity
  ) {
    feature(id: $id) {
      id
      neighbours(kind: $kind, first: $first, minReplicates: $minReplicates, stableOnly: $stableOnly, sign: $sign, matchedBy: $matchedBy) {
        ...NeighbourFields
      }
    }
  }
  ${NEIGHBOUR_FIELDS}
`;

/**
 * A community page: its shape, members with explanations, the run's edges among them, and for the counterparts in
 * other SAEs each member's confident matches with the communities those partners belong to.
 */
export const COMMUNITY = gql`
  query Community($id: ID!, $members: Int) {
    community(id: $id) {
      id
      kind
      algorithm
      run
      index
      size
      edges
      density
      maxDegree
      meanDegree
      centralisation
      clustering
      diameter
      type
      reason
      meanCosine
      nearDuplicate
      hub { id }
      members(first: $members) {
        id
        index
        explanation
        firingRate
        sae { id layer model { id name } }
        match: neighbours(kind: MATCH, first: 5) {
          run
          weight
          method
          feature { id sae { id } communities { id kind run type size } }
        }
      }
      subgraph {
        run
        truncated
        nodes { id index explanation sae { id layer } }
        edges { source target kind directed weight replicates stable }
      }
    }
  }
`;

export const RUN = gql`
  query Run($id: ID!) {
    run(id: $id) {
      id
      kind
      method
      status
      sae { id model { id name } }
      saes
      parameters
      rStar
      thresholdRule
      estimatedChanceFdr
      estimatedIndirectShare
      estimatedTotalError
      thresholdReason
      explainedAway
      edgeCount
      software
      createdAt
      fdrTable { r observed expectedNull fdrEstimate indirectShare totalError }
      cosineStrengthCorrelation
      shareMatchedA
      shareMatchedB
      graphRuns
      stableConnections
      linearThreshold
      baseline
      linearEvaluated
      linearFeatures
      linearShare
      degreeCounts
      strengthCounts
      strengthBinWidth
      nodesWithEdges
      analyses {
        id algorithm seed modularity communityCount componentCount parameters
        communities(first: 10) {
          totalCount
          edges { node { id index size edges density type reason meanCosine nearDuplicate hub { id explanation } } }
        }
      }
    }
    comparisons(run: $id) { id runA runB matchRun matchedFeatures degreeJsd edgeJaccard ari nmi }
  }
`;

export const MATCH_PAIRS = gql`
  fragment MatchPairs on MatchPairConnection {
    run
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { score method a { id index explanation } b { id index explanation } } }
  }
`;

export const COMPARE = gql`
  query Compare($a: ID!, $b: ID!, $first: Int) {
    compare(a: $a, b: $b) {
      of
      a
      b
      saeA { id layer width seed featureCount l0 fvu }
      saeB { id layer width seed featureCount l0 fvu }
      runA { id kind method edgeCount }
      runB { id kind method edgeCount }
      matchRuns { id kind method saes shareMatchedA shareMatchedB }
      comparisons {
        id runA runB matchRun matchedFeatures
        degreeJsd strengthJsd erDegreeJsd erStrengthJsd rewiredDegreeJsd rewiredStrengthJsd baselineSeeds
        edgeJaccard sharedEdges matchedEdgesA matchedEdgesB
        analysedEdgesA seedStableEdgesA analysedEdgesB seedStableEdgesB
        ari nmi
        distributions {
          degreeCountsA degreeCountsB strengthCountsA strengthCountsB strengthBinWidth
          erDegreeCountsA erDegreeCountsB erStrengthCountsA erStrengthCountsB rewiredStrengthCountsA rewiredStrengthCountsB
        }
        graphA { id degreeCounts strengthCounts strengthBinWidth }
        graphB { id degreeCounts strengthCounts strengthBinWidth }
      }
      matches(first: $first) { ...MatchPairs }
    }
  }
  ${MATCH_PAIRS}
`;

export const COMPARE_MATCHES = gql`
  query CompareMatches($a: ID!, $b: ID!, $run: ID, $first: Int, $after: String) {
    compare(a: $a, b: $b) {
      matches(run: $run, first: $first, after: $after) { ...MatchPairs }
    }
  }
  ${MATCH_PAIRS}
`;
