#!/usr/bin/env python3
"""Fails when a Swift function or initialiser in the given files is longer than a limit (default 60
lines, from its declaration line to its closing brace). String literals and comments are blanked
before braces are matched. CI runs it on Sources/TutorAgent (issue 14: the agent turn stays small).

    python3 Tools/check-function-length.py [--max 60] FILE...
"""
import re, sys
# Reports every func/init/subscript/accessor-less declaration body in the given Swift files with its length in lines
# (declaration line through closing brace). String literals and comments are blanked before brace matching.
def blank(src):
    out=[]; i=0; n=len(src)
    while i<n:
        if src.startswith('//',i):
            j=src.find('\n',i); j=n if j<0 else j; out.append(' '*(j-i)); i=j
        elif src.startswith('/*',i):
            j=src.find('*/',i)+2; out.append(re.sub(r'[^\n]',' ',src[i:j])); i=j
        elif src.startswith('"""',i):
            j=src.find('"""',i+3)+3; out.append(re.sub(r'[^\n]',' ',src[i:j])); i=j
        elif src.startswith('#"',i):
            j=src.find('"#',i+2)+2; out.append(' '*(j-i)); i=j
        elif src[i]=='"':
            j=i+1
            while src[j]!='"':
                if src[j]=='\\': j+=1
                j+=1
            j+=1; out.append(' '*(j-i)); i=j
        else: out.append(src[i]); i+=1
    return ''.join(out)
worst=[]
args = sys.argv[1:]
limit = 60
if args[:1] == ['--max']:
    limit = int(args[1]); args = args[2:]
for path in args:
    src=blank(open(path).read())
    for m in re.finditer(r'\b(func\s+[^\s(<]+|init\??)\s*[(<]', src):
        start=m.start(); k=src.find('{',m.end())
        # skip protocol requirements (no body before the next newline-terminated declaration)
        # A requirement without a body (in a protocol): a new declaration or a closing brace starts a
        # line before the next opening brace.
        if k<0 or re.search(r'\n\s*(func |var |let |case |init|associatedtype |static |public |}|@)', src[m.end():k]): continue
        depth=0; j=k
        while True:
            if src[j]=='{': depth+=1
            elif src[j]=='}':
                depth-=1
                if depth==0: break
            j+=1
        a=src.count('\n',0,start)+1; b=src.count('\n',0,j)+1
        worst.append((b-a+1, path, a, m.group(1)))
worst.sort(reverse=True)
too_long = [w for w in worst if w[0] > limit]
for length, path, line, name in too_long:
    print(f"{path}:{line}: {name} is {length} lines long (the limit is {limit}); split it")
print(f"{len(worst)} functions, the longest {worst[0][0] if worst else 0} lines (limit {limit})")
sys.exit(1 if too_long else 0)
