import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { THREAD_OWNERSHIP } from '../../chat/thread-ownership';
import { Conversation } from './conversation.entity';
import { ConversationsService } from './conversations.service';

/** Separate from ButlerModule so chat can check who owns a thread without depending on the Butler. */
@Module({
  imports: [TypeOrmModule.forFeature([Conversation])],
  providers: [ConversationsService, { provide: THREAD_OWNERSHIP, useExisting: ConversationsService }],
  exports: [ConversationsService, THREAD_OWNERSHIP],
})
export class ConversationsModule {}
