// Incremental analysis: build once, apply deltas (a role, SA, association,
// OIDC provider or cluster changed), read edges and findings equal to a full
// analyzeSnapshot() of the same model.
export { analysisOf, applyDelta, applyDeltas, buildAnalysisIndex, buildAnalysisIndexAsync, buildAnalysisIndexSteps, edgesOf, findingsOf, findingsOfAsync, findingsOfSteps, modelCopy, updateAnalysisIndex, type AnalysisIndex, type EdgeChanges } from "./engine";
export { diffSnapshots, type AnalysisDelta, type SnapshotServiceAccount } from "./delta";
