"""Plain values that cross the core's boundary: clauses, answers and stored records."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bot.roles import Role


class Channel(StrEnum):
    CLI = "cli"
    SLACK = "slack"
    TEAMS = "teams"
    WEB = "web"


class Clause(BaseModel):
    """One citable piece of a policy, its text exactly as the policy words it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable within a build: '<school>/<policy file>#<n>'")
    school: str
    policy: str = Field(description="The policy's title")
    ref: str = Field(description="How a reader cites it: '4.6', '6.3(b)', '7', 'Appendix 2', or ''")
    heading: str = Field(description="The heading it sits under ('' if none)")
    lead_in: str | None = Field(
        default=None, description="The sentence introducing a list item, e.g. 'staff must not:'"
    )
    text: str

    def citation(self) -> str:
        """'Social Media Policy · 4.6 · Personal use of social media'."""
        return " · ".join(part for part in (self.policy, self.ref, self.heading) if part)


class QuotedClause(BaseModel):
    clause: Clause
    score: float


class Contact(BaseModel):
    role: Role
    name: str
    email: str
    slack_user_id: str | None = None
    teams_user_id: str | None = None


class Answer(BaseModel):
    """What the bot says to one question; every channel renders this and nothing else."""

    school: str
    school_name: str
    question: str
    answered: bool
    clauses: list[QuotedClause] = Field(description="Best first; empty when not answered")
    contact: Contact
    notes: list[str] = Field(default_factory=list, description="One-line notes: review dates, safeguarding")
    safeguarding: bool = Field(default=False, description="The question reads as a concern about a child")
    candidates: list[QuotedClause] = Field(
        default_factory=list, description="Best clauses considered, kept for HR even when not answered"
    )
    logged: bool = Field(default=False, description="Stored in the unanswered-question log")


class LogStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Candidate(BaseModel):
    clause_id: str
    policy: str
    ref: str
    score: float
    heading: str = ""

    def label(self) -> str:
        """How HR finds it in the policy: its number, else its heading, else the policy's title."""
        return self.ref or self.heading or self.policy


class UnansweredQuestion(BaseModel):
    """A question the bot could not answer, as stored for HR. The asker is kept only if allowed."""

    id: int | None = None
    created_at: datetime
    school: str
    question: str
    channel: Channel
    asker: str | None = None
    candidates: list[Candidate] = Field(default_factory=list)
    status: LogStatus = LogStatus.OPEN
    resolved_at: datetime | None = None


class Verdict(StrEnum):
    HELPFUL = "helpful"
    NOT_HELPFUL = "not_helpful"
    ASK_HR = "ask_hr"


class Feedback(BaseModel):
    """A reader's verdict on an answer ("Helpful" / "Not helpful" / "Ask HR"), as stored for HR."""

    id: int | None = None
    created_at: datetime
    school: str
    question: str
    verdict: Verdict
    channel: Channel
    clause_ids: list[str] = Field(default_factory=list, description="The clauses the answer quoted")
    asker: str | None = None
