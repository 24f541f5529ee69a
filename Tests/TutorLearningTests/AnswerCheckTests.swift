import Testing
import TutorLearning

@Suite("Answer checks, hints and grounding")
struct AnswerCheckTests {
    let answer = "Retrieve relevant content, add it to the prompt, generate the answer."
    let why = "The model's answer is conditioned on retrieved evidence instead of its memory alone."

    @Test("inflections match one stem; stop words carry no meaning")
    func keyTerms() {
        #expect(KeyTerms.stem("retrieves") == KeyTerms.stem("retrieved"))
        #expect(KeyTerms.stem("retrieving") == KeyTerms.stem("retrieve"))
        #expect(KeyTerms.stem("embeddings") == KeyTerms.stem("embedding"))
        #expect(KeyTerms.of("What is the answer to this?") == ["answer"])
        #expect(KeyTerms.of("P = 0.15, shape 3x2").contains("0.15") && KeyTerms.of("P = 0.15, shape 3x2").contains("3x2"))
    }

    @Test("a right answer in other words is right, a half answer partly, a wrong one incorrect")
    func grading() {
        let right = AnswerCheck.grade(
            "you retrieve relevant documents, add them to the prompt and generate", expected: answer, context: why)
        #expect(right.verdict == .correct)
        let half = AnswerCheck.grade("you retrieve things first", expected: answer, context: why)
        #expect(half.verdict == .partly || half.verdict == .incorrect)
        #expect(half.coverage < right.coverage)
        #expect(!half.missing.isEmpty)
        let wrong = AnswerCheck.grade("it is a list comprehension", expected: answer, context: why)
        #expect(wrong.verdict == .incorrect)
        // Numbers must be the right ones.
        #expect(AnswerCheck.grade("0.15", expected: "0.15", context: "").verdict == .correct)
        #expect(AnswerCheck.grade("0.8", expected: "0.15", context: "").verdict == .incorrect)
    }

    @Test("hints make the answer no easier to see than their rung allows, and stop after three")
    func hintLadder() throws {
        let first = try #require(HintLadder.hint(level: 1, answer: answer, why: why))
        #expect(!first.contains("retrieved"), "the answer's words are hidden: \(first)")
        let second = try #require(HintLadder.hint(level: 2, answer: answer, why: why))
        #expect(second.contains("R_") && !second.contains("Retrieve"))
        let third = try #require(HintLadder.hint(level: 3, answer: answer, why: why))
        #expect(third.contains("___") && third != answer)
        for hint in [first, second, third] { #expect(!hint.contains(answer)) }
        #expect(HintLadder.hint(level: 4, answer: answer, why: why) == nil)
    }

    @Test("the suggested grade: right alone good, with hints hard, wrong again")
    func suggestedRatings() {
        let right = AnswerCheck(verdict: .correct, coverage: 1, missing: [])
        #expect(right.suggestedRating(hintsGiven: 0) == 3)
        #expect(right.suggestedRating(hintsGiven: 2) == 2)
        #expect(AnswerCheck(verdict: .partly, coverage: 0.4, missing: []).suggestedRating(hintsGiven: 0) == 2)
        #expect(AnswerCheck(verdict: .incorrect, coverage: 0, missing: []).suggestedRating(hintsGiven: 0) == 1)
    }

    @Test("a question is grounded when its answer uses the source's words, not outside facts")
    func grounding() {
        let source = "RAG lets a model answer from your own documents: retrieve the most relevant passages, place them in the prompt."
        let grounded = GroundingCheck.check(
            answer: "It retrieves relevant passages and places them in the prompt.", why: "", source: source)
        #expect(grounded.isGrounded)
        let invented = GroundingCheck.check(
            answer: "Use HNSW graphs with cosine quantisation on GPUs.", why: "Faiss benchmarks show it.", source: source)
        #expect(!invented.isGrounded)
        #expect(invented.unsupported.contains("hnsw") && invented.unsupported.contains("gpus"))
        #expect(GroundingCheck.similarity("What are the three steps of RAG?", "What are RAG's three steps?") > 0.6)
    }
}
