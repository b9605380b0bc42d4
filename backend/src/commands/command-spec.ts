/** What to run: the input of `CommandsService.create`/`run`, from the Butler, an approval or MCP. */
export interface CommandSpec {
  agentId: number;
  agentName: string;
  /** Full command text; its first word is the command name. */
  text: string;
  requestedBy: number;
  /** The personal access token the requester used, if any (traced on the row). */
  viaTokenId?: number | null;
  conversationId: number | null;
  approvalId: number | null;
  /** The human who approved it (an approval's decider); null for a read-only run or a rule's approval. */
  approvedBy?: number | null;
}
