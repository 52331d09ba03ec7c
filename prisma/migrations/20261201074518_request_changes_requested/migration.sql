-- AlterEnum
ALTER TYPE "RequestStatus" ADD VALUE 'changes_requested';
