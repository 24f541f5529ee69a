"""A LangChain agent loop on the same fake endpoint as `tutor-bench agent`, for a side-by-side figure.

Run by `tutor-bench langchain`: builds `create_agent` (LangChain 1.x) with a ChatOpenAI model
pointed at BASE_URL (streaming, no retries) and one tool, `forecast`, that returns a canned JSON
forecast (less work than the tutor's tool, which reads the store: a conservative comparison).
Then, for each line read on stdin, runs one turn ("how long?": the fake endpoint answers with a
tool call, then with text) in a fresh conversation and prints the turn's wall time in seconds.
"""

import json
import sys
import time

from langchain.agents import create_agent
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

FORECAST = json.dumps(
    {
        "pace": 10,
        "paceSource": "declared",
        "milestones": [
            {"title": "Foundations", "from": "2027-03", "to": "2027-06"},
            {"title": "First AI applications", "from": "2027-07", "to": "2027-11"},
        ],
        "notes": ["Ranges assume steady weeks."],
    }
)


@tool
def forecast() -> str:
    """Realistic dates per milestone at the learner's pace."""
    return FORECAST


def main() -> None:
    base_url = sys.argv[1]
    model = ChatOpenAI(base_url=base_url, api_key="none", model="fake-model", streaming=True, max_retries=0)
    agent = create_agent(model, tools=[forecast], system_prompt="You are a study coach.")
    for _ in sys.stdin:
        started = time.perf_counter()
        agent.invoke({"messages": [{"role": "user", "content": "how long?"}]})
        print(f"{time.perf_counter() - started:.9f}", flush=True)


if __name__ == "__main__":
    main()
