import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { CreateUserRequest, HumanRole, UpdateUserRequest } from '@echocenter/contracts';

const ROLES: HumanRole[] = ['ADMIN', 'MEMBER'];

export class CreateUserDto implements CreateUserRequest {
  @ApiProperty({
    example: 'alice',
    description: '3–64 characters: letters, digits, dot, dash, underscore; unique ignoring case',
  })
  @IsString()
  @Length(3, 64)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'username may contain letters, digits, dots, dashes and underscores' })
  username: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @Length(8, 200)
  password: string;

  @ApiPropertyOptional({ enum: ROLES, default: 'MEMBER' })
  @IsOptional()
  @IsIn(ROLES)
  role?: HumanRole;
}

export class UpdateUserDto implements UpdateUserRequest {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: HumanRole;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ minLength: 8, description: 'Resets the password' })
  @IsOptional()
  @IsString()
  @Length(8, 200)
  password?: string;
}
