import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { ThreadUsageDto, UsageReportDto, UsageReportRowDto, UsageTotalsDto } from '@echocenter/contracts';
import { ActorsService } from '../../actors/actors.service';
import type { AuthActor } from '../../auth/auth-actor';
import { currentHuman } from '../../auth/current-human';
import { badRequest, forbidden } from '../../common/api-error';
import { SettingsService } from '../../settings/settings.service';
import { ConversationsService } from '../conversations/conversations.service';
import { ModelUsage } from './model-usage.entity';
import { costOf, parsePrices } from './prices';
import { utcDay, type TurnUsage } from './turn-usage';

interface SumRow {
  prompt: string | number | null;
  completion: string | number | null;
  turns: string | number | null;
}

const MAX_DAYS = 366;
const num = (v: string | number | null | undefined) => Number(v ?? 0);

/** The Butler's model spending: stored per turn, read per thread, per user and day, and for budgets. */
@Injectable()
export class UsageService {
  constructor(
    @InjectRepository(ModelUsage) private readonly usage: Repository<ModelUsage>,
    private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly conversations: ConversationsService,
    private readonly actors: ActorsService,
  ) {}

  /** Stores one turn's spending and returns its row; a turn that never called the model stores nothing. */
  async record(turn: TurnUsage, userId: number, conversationId: number): Promise<number | null> {
    if (!turn.modelCalls || !turn.model) return null;
    const res = await this.usage.insert({
      userId,
      conversationId,
      model: turn.model.slice(0, 200),
      promptTokens: turn.promptTokens,
      completionTokens: turn.completionTokens,
      modelCalls: turn.modelCalls,
      day: utcDay(),
    });
    return (res.identifiers[0]?.id as number | undefined) ?? null;
  }

  /**
   * Adds what the turn's compaction (the summary call after the reply) spent to the turn's row, so a turn
   * stays one row; a turn without a row of its own gets one.
   */
  async addToTurn(rowId: number | null, extra: TurnUsage, userId: number, conversationId: number): Promise<void> {
    if (!extra.modelCalls) return;
    if (rowId === null) return void (await this.record(extra, userId, conversationId));
    await this.usage
      .createQueryBuilder()
      .update(ModelUsage)
      .set({
        promptTokens: () => `prompt_tokens + ${Math.floor(extra.promptTokens)}`,
        completionTokens: () => `completion_tokens + ${Math.floor(extra.completionTokens)}`,
        modelCalls: () => `model_calls + ${Math.floor(extra.modelCalls)}`,
      })
      .where('id = :rowId', { rowId })
      .execute();
  }

  /** Tokens (prompt + completion) the user has spent today (UTC). */
  async tokensToday(userId: number): Promise<number> {
    const row = await this.usage
      .createQueryBuilder('u')
      .select('SUM(u.promptTokens + u.completionTokens)', 'total')
      .where('u.userId = :userId AND u.day = :day', { userId, day: utcDay() })
      .getRawOne<{ total: string | number | null }>();
    return num(row?.total);
  }

  /** The owner's view of one thread's spending (404 for someone else's thread). */
  async thread(owner: AuthActor, conversationId: number): Promise<ThreadUsageDto> {
    await this.conversations.owned(owner, conversationId);
    const rows = await this.sums()
      .addSelect('u.model', 'model')
      .where('u.conversationId = :conversationId AND u.userId = :userId', { conversationId, userId: owner.id })
      .groupBy('u.model')
      .orderBy('u.model')
      .getRawMany<SumRow & { model: string }>();
    const prices = this.prices();
    const byModel = rows.map((r) => ({ model: r.model, ...totals(r, prices, r.model) }));
    return { conversationId, ...sumTotals(byModel), byModel };
  }

  /** The admin report, per user, model and UTC day in [from, to]; the role is read again from the database. */
  async report(caller: AuthActor, from: string, to: string): Promise<UsageReportDto> {
    if ((await currentHuman(this.actors, caller)).kind !== 'ADMIN')
      throw forbidden('Only admins may read the usage report');
    if (from > to) throw badRequest('from must not be after to', [{ field: 'from', message: 'must not be after to' }]);
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_DAYS)
      throw badRequest(`at most ${MAX_DAYS} days at once`, [
        { field: 'to', message: `must be within ${MAX_DAYS} days of from` },
      ]);
    const rows = await this.sums()
      .addSelect('u.day', 'day')
      .addSelect('u.userId', 'userId')
      .addSelect('u.model', 'model')
      .where('u.day >= :from AND u.day <= :to', { from, to })
      .groupBy('u.day')
      .addGroupBy('u.userId')
      .addGroupBy('u.model')
      .orderBy('u.day', 'DESC')
      .addOrderBy('u.userId')
      .addOrderBy('u.model')
      .getRawMany<SumRow & { day: string; userId: string | number; model: string }>();
    const names = await this.actors.names(rows.map((r) => num(r.userId)));
    const prices = this.prices();
    const lines: UsageReportRowDto[] = rows.map((r) => ({
      day: r.day,
      userId: num(r.userId),
      username: names.get(num(r.userId)) ?? `#${num(r.userId)}`,
      model: r.model,
      ...totals(r, prices, r.model),
    }));
    return {
      from,
      to,
      rows: lines,
      totals: sumTotals(lines),
      dailyTokenBudget: this.settings.butler().dailyTokenBudget,
      prices,
    };
  }

  private sums() {
    return this.usage
      .createQueryBuilder('u')
      .select('SUM(u.promptTokens)', 'prompt')
      .addSelect('SUM(u.completionTokens)', 'completion')
      .addSelect('COUNT(*)', 'turns');
  }

  private prices(): Record<string, number> {
    return parsePrices(this.settings.butler().pricesPer1k).prices;
  }
}

function totals(r: SumRow, prices: Record<string, number>, model: string): UsageTotalsDto {
  const promptTokens = num(r.prompt);
  const completionTokens = num(r.completion);
  return {
    promptTokens,
    completionTokens,
    turns: num(r.turns),
    cost: costOf(prices, model, promptTokens + completionTokens),
  };
}

/** Totals of several lines; cost only when every line has one. */
function sumTotals(lines: UsageTotalsDto[]): UsageTotalsDto {
  const sum = (f: (l: UsageTotalsDto) => number) => lines.reduce((s, l) => s + f(l), 0);
  const priced = lines.every((l) => l.cost !== null);
  return {
    promptTokens: sum((l) => l.promptTokens),
    completionTokens: sum((l) => l.completionTokens),
    turns: sum((l) => l.turns),
    cost: priced ? Math.round(sum((l) => l.cost ?? 0) * 1e6) / 1e6 : null,
  };
}
