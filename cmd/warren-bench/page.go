package main

// typicalPage is the page of figures 1 and 2: about sixty lines of Markdown
// with headings, a table, code, lists and links, like a real team page.
const typicalPage = "# Team handbook\n\n" +
	"Welcome to the team. This page collects what a new member needs in the first week.\n" +
	"Read it top to bottom once, then come back to the parts you need.\n\n" +
	"## Contacts\n\n" +
	"| Role | Name | Where |\n|---|---|---|\n" +
	"| Lead | Ada | [[People/Ada]] |\n| On call | Grace | [[People/Grace]] |\n" +
	"| Design | Linus | [[People/Linus]] |\n| Support | Barbara | [[People/Barbara]] |\n" +
	"| Finance | Ken | [[People/Ken]] |\n\n" +
	"## First day\n\n" +
	"1. Get your laptop from the front desk.\n2. Sign in to the chat and say hello.\n" +
	"3. Read the [[Onboarding/Checklist|onboarding checklist]].\n4. Pair with your buddy for an hour.\n\n" +
	"- [x] Laptop\n- [ ] Accounts\n- [ ] Badge\n\n" +
	"## Building the project\n\n" +
	"```go\npackage main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n" +
	"\t\tfmt.Println(\"hello\", i)\n\t}\n}\n```\n\n" +
	"Run the tests with `make test` before every push; CI runs the same command.\n\n" +
	"```sh\ngit clone https://wiki.example.org/team/.git\nmake test\n```\n\n" +
	"## How we work\n\n" +
	"We plan on Mondays and demo on Fridays. Decisions are written down in [[Decisions]],\n" +
	"and the *why* matters more than the *what*. Keep meetings short; prefer writing.\n\n" +
	"> If it is not in the wiki, it did not happen.\n\n" +
	"Useful links: <https://go.dev/doc/>, [the style guide](https://google.github.io/styleguide/go/),\n" +
	"and our [[Glossary]]. Questions go to ~~email~~ the team channel.\n\n" +
	"## Holidays\n\n" +
	"Ask two weeks ahead; put them in the shared calendar and on [[Holidays 2026]].\n" +
	"Nobody answers pages on holiday; the on-call rota covers it.[^rota]\n\n" +
	"[^rota]: The rota lives in [[On call/Rota]].\n"
