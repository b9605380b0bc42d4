import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatMessage } from '../chat-message.entity';
import { ThreadMessages } from './thread-messages';
import { TurnMarks } from './turn-marks';

/**
 * Chat's messages as the Butler's threads and turns need them. A module of its own, depending on nothing
 * but the database: ChatModule needs the Butler's ConversationsModule (who owns a thread, THREAD_OWNERSHIP),
 * and the Butler's conversations need these, so both import this one and neither imports the other.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ChatMessage])],
  providers: [ThreadMessages, TurnMarks],
  exports: [ThreadMessages, TurnMarks],
})
export class ThreadStoreModule {}
