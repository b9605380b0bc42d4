import { ApiProperty } from '@nestjs/swagger';
import type { HumanRole, UserDto } from '@echocenter/contracts';

export class UserDtoDoc implements UserDto {
  @ApiProperty() id: number;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ['ADMIN', 'MEMBER'] }) role: HumanRole;
  @ApiProperty() disabled: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastSeenAt: string | null;
}
