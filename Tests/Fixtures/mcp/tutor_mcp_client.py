"""Drives `tutor mcp` with the official Python MCP SDK (PyPI `mcp`), as Claude Desktop or Goose would.

Run by Tests/EndToEndTests/MCPTests.swift with the virtualenv Tools/install-mcp-client.sh makes.
Prints one JSON object with what it saw; the Swift test asserts on it.

    python tutor_mcp_client.py session       # initialise, list, call, read, subscribe, errors, prompt
    python tutor_mcp_client.py unreachable SOCKET   # tutor mcp --no-autostart on a socket nobody serves
    python tutor_mcp_client.py roundtrip N   # N times: initialise, list tools, one read call (benchmark)
"""

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time

import anyio
import mcp.types as types
from mcp import ClientSession, McpError, StdioServerParameters
from mcp.client.stdio import stdio_client


def server(args):
    tutor = shutil.which("tutor") or "tutor"
    return StdioServerParameters(command=tutor, args=["mcp", *args], env=dict(os.environ))


def text_of(result):
    return "\n".join(block.text for block in result.content if isinstance(block, types.TextContent))


async def session_scenario():
    seen = {"protocol": types.LATEST_PROTOCOL_VERSION}
    updates = []
    got_update = anyio.Event()

    async def on_message(message):
        if isinstance(message, types.ServerNotification) and isinstance(message.root, types.ResourceUpdatedNotification):
            updates.append(str(message.root.params.uri))
            got_update.set()

    async with stdio_client(server([])) as (read, write):
        async with ClientSession(read, write, message_handler=on_message) as session:
            init = await session.initialize()
            seen["negotiated"] = init.protocolVersion
            seen["serverName"] = init.serverInfo.name
            seen["capabilities"] = init.capabilities.model_dump(exclude_none=True)

            tools = (await session.list_tools()).tools
            seen["tools"] = {
                tool.name: {
                    "title": tool.title,
                    "readOnly": tool.annotations.readOnlyHint if tool.annotations else None,
                    "destructive": tool.annotations.destructiveHint if tool.annotations else None,
                    "hasOutputSchema": tool.outputSchema is not None,
                }
                for tool in tools
            }
            seen["resources"] = [str(resource.uri) for resource in (await session.list_resources()).resources]
            seen["prompts"] = [prompt.name for prompt in (await session.list_prompts()).prompts]

            read_call = await session.call_tool("progress_summary", {})
            seen["readCall"] = {"isError": read_call.isError, "structured": read_call.structuredContent}
            write_call = await session.call_tool("log_study", {"minutes": 40, "note": "RAG from an MCP client"})
            seen["writeCall"] = {"isError": write_call.isError, "text": text_of(write_call),
                                 "structured": write_call.structuredContent}

            notes = await session.call_tool("search_notes", {"query": "retrieval augmented generation", "source": "notes"})
            seen["notesCall"] = {
                "first": notes.content[0].text,
                "untrustedMeta": (notes.content[-1].meta or {}).get("tutor/untrusted"),
                "text": text_of(notes),
            }

            plan = await session.read_resource("tutor://plan/week.md")
            seen["planMarkdown"] = plan.contents[0].text
            seen["planMime"] = plan.contents[0].mimeType
            calendar = await session.read_resource("tutor://plan/week.ics")
            seen["calendarStart"] = calendar.contents[0].text[:15]
            progress = await session.read_resource("tutor://progress.json")
            seen["progressBefore"] = json.loads(progress.contents[0].text)["minutesLogged"]
            roadmap = json.loads((await session.read_resource("tutor://roadmap.json")).contents[0].text)
            seen["roadmapSkills"] = len(roadmap["skills"])

            await session.subscribe_resource("tutor://progress.json")
            logged = subprocess.run(["tutor", "log", "25m", "--note", "from the CLI"], capture_output=True, text=True)
            seen["cliLogStatus"] = logged.returncode
            with anyio.move_on_after(10):
                await got_update.wait()
            seen["updates"] = updates
            progress = await session.read_resource("tutor://progress.json")
            seen["progressAfter"] = json.loads(progress.contents[0].text)["minutesLogged"]

            for name, arguments in [("log_study", {"minutes": "forty"}), ("no_such_tool", {})]:
                try:
                    await session.call_tool(name, arguments)
                    seen[f"error:{name}"] = None
                except McpError as error:
                    seen[f"error:{name}"] = {"code": error.error.code, "message": error.error.message}
            try:
                await session.read_resource("tutor://nothing")
                seen["error:resource"] = None
            except McpError as error:
                seen["error:resource"] = {"code": error.error.code, "message": error.error.message}

            prompt = await session.get_prompt("plan_my_week")
            seen["prompt"] = [
                message.content.resource.uri.unicode_string() if message.content.type == "resource" else message.content.type
                for message in prompt.messages
            ]
    return seen


async def unreachable_scenario(socket):
    seen = {}
    async with stdio_client(server(["--no-autostart", "--socket", socket])) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            seen["negotiated"] = init.protocolVersion
            try:
                await session.call_tool("progress_summary", {})
                seen["error"] = None
            except McpError as error:
                seen["error"] = {"code": error.error.code, "message": error.error.message}
    return seen


async def roundtrip_scenario(count):
    """Times `count` round trips, each a new `tutor mcp`: initialise, list tools, one read call."""
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        async with stdio_client(server([])) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                await session.list_tools()
                result = await session.call_tool("progress_summary", {})
                assert not result.isError
        timings.append((time.perf_counter() - started) * 1000)
    return {"milliseconds": timings}


def main():
    scenario = sys.argv[1]
    if scenario == "session":
        seen = asyncio.run(session_scenario())
    elif scenario == "unreachable":
        seen = asyncio.run(unreachable_scenario(sys.argv[2]))
    elif scenario == "roundtrip":
        seen = asyncio.run(roundtrip_scenario(int(sys.argv[2])))
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(json.dumps(seen, default=str))


if __name__ == "__main__":
    main()
